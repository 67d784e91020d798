import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

export interface ViewerRequest {
  uri: string;
  querystring: Record<string, { value: string }>;
}

export type ViewerRequestHandler = (event: { request: ViewerRequest }) => ViewerRequest;

/** A CloudFront Function's code as CloudFront runs it: a script that declares `handler`, in a context of its own. */
export function loadViewerRequestHandler(path: string): ViewerRequestHandler {
  return runInNewContext(`${readFileSync(path, 'utf8')}\nhandler;`) as ViewerRequestHandler;
}
