import { createHash } from 'node:crypto';
import { build, type BuildResult } from './docker.js';
import { repoRoot } from './repository.js';

export interface ImageSpec {
  dockerfile: string;
  target?: string;
  /** The name the Dockerfile's header and scripts/docker-network.sh give it. */
  name: string;
}

/** Every image and target of the repository's Dockerfiles. */
export const projectImages = {
  apiProduction: { dockerfile: 'api/Dockerfile', name: 'rock-of-ages-api' },
  apiDevelopment: { dockerfile: 'api/Dockerfile', target: 'development', name: 'rock-of-ages-api-dev' },
  clientDevelopment: { dockerfile: 'client/Dockerfile', target: 'development', name: 'rock-of-ages-client' },
  clientProduction: { dockerfile: 'client/Dockerfile', target: 'production', name: 'rock-of-ages-client-web' },
} satisfies Record<string, ImageSpec>;

/**
 * The tests tag images with this checkout's own tag, so that test runs in other checkouts of the
 * repository, on the same engine, never run each other's builds.
 */
const checkoutTag = `test-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 10)}`;

export function testTag(spec: ImageSpec): string {
  return `${spec.name}:${checkoutTag}`;
}

/** Builds an image from the unmodified Dockerfile (the build cache makes a repeat quick). */
export function buildProjectImage(spec: ImageSpec): Promise<BuildResult> {
  return build({ dockerfile: spec.dockerfile, target: spec.target, tag: testTag(spec) });
}
