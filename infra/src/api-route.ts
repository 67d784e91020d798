import { fileURLToPath } from 'node:url';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';

export interface ApiRouteProps {
  /** The client's distribution, which gets the API's behaviour. */
  readonly distribution: cloudfront.Distribution;
  /**
   * Where the API runs, as a CloudFront VPC origin (inside the VPC, never across the internet): the EC2
   * host, or the ECS service's internal load balancer.
   */
  readonly origin: cloudfront.IOrigin;
}

/** The API as CloudFront's VPC origin reaches it: plain HTTP on port 80, inside the VPC. */
export const vpcOriginOptions: origins.VpcOriginWithEndpointProps = {
  protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
  httpPort: 80,
};

/** Where the browser finds the API on the client's domain; the API's own routes have no such prefix. */
export const apiPathPrefix = '/api';
export const apiPathPattern = `${apiPathPrefix}/*`;

export const stripApiPrefixFunctionPath = fileURLToPath(new URL('./strip-api-prefix-function.js', import.meta.url));

/**
 * Serves the API on the client's HTTPS domain under /api, so that a page from CloudFront calls it over
 * HTTPS instead of making the mixed-content calls browsers block. Nothing is cached, every method and
 * the viewer's headers (Authorization included) and query strings go through, and the prefix is stripped
 * before the request reaches the host, over a VPC origin: the host has no public way in.
 */
export class ApiRoute extends Construct {
  readonly stripPrefix: cloudfront.Function;

  constructor(scope: Construct, id: string, props: ApiRouteProps) {
    super(scope, id);

    this.stripPrefix = new cloudfront.Function(this, 'StripPrefix', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromFile({ filePath: stripApiPrefixFunctionPath }),
      comment: `Rock of Ages API: ${apiPathPrefix}/rocks reaches the API as /rocks`,
    });

    props.distribution.addBehavior(
      apiPathPattern,
      // CloudFront's own network interfaces in the VPC connect to the origin's private address.
      props.origin,
      {
        // CloudFront would redirect only GET and HEAD to HTTPS; a call on http:// gets a plain 403 instead.
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // With caching disabled, this policy forwards Authorization too; the Host stays the API host's own.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [
          { function: this.stripPrefix, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
    );
  }
}
