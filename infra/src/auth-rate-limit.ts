import { Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { apiPathPrefix } from './api-route.js';

export interface AuthRateLimitStackProps extends StackProps {
  /** /login and /register requests together per minute from one viewer address, then 429. */
  readonly requestsPerMinute: number;
}

/** The paths the rule counts, as viewers call them on the distribution. */
export const limitedPaths = [`${apiPathPrefix}/login`, `${apiPathPrefix}/register`] as const;
export const tooManyRequestsBody = JSON.stringify({ message: 'Too many login or registration attempts from your address; try again in a minute.' });

/**
 * An AWS WAF web ACL for the client's distribution, with one rate-based rule: /login and /register
 * requests per viewer address, counted at CloudFront's edge for every API instance at once (the API's
 * own per-address limit counts per process, and stays as the second line). A web ACL for CloudFront
 * lives in us-east-1, hence a stack of its own there.
 */
export class AuthRateLimitStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: AuthRateLimitStackProps) {
    super(scope, id, props);
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const pathStartsWith = (path: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: path,
        // /api/%6Cogin and /api/LOGIN are counted too.
        textTransformations: [
          { priority: 0, type: 'URL_DECODE' },
          { priority: 1, type: 'LOWERCASE' },
        ],
      },
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      description: 'Rock of Ages: /login and /register per viewer address',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('rock-of-ages'),
      customResponseBodies: { 'too-many-requests': { contentType: 'APPLICATION_JSON', content: tooManyRequestsBody } },
      rules: [
        {
          name: 'login-and-register-per-viewer-address',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'too-many-requests',
                responseHeaders: [{ name: 'retry-after', value: '60' }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.requestsPerMinute,
              evaluationWindowSec: 60,
              aggregateKeyType: 'IP',
              scopeDownStatement: { orStatement: { statements: limitedPaths.map(pathStartsWith) } },
            },
          },
          visibilityConfig: visibility('rock-of-ages-login-and-register'),
        },
      ],
    });
  }
}
