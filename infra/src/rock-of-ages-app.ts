import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuthRateLimitStack } from './auth-rate-limit.js';
import { RockOfAgesStack } from './rock-of-ages-stack.js';
import type { InfraSettings } from './settings.js';

export const stackName = 'RockOfAges';
/** The ECS option's web ACL: CloudFront takes one from us-east-1 only. */
export const edgeStackName = 'RockOfAgesEdge';
export const edgeRegion = 'us-east-1';

/**
 * Adds the environment to an app, checked by cdk-nag's AwsSolutions rules: synthesis fails on any
 * finding that is neither fixed nor acknowledged with a reason. The ECS option adds a small stack in
 * us-east-1 for the distribution's AWS WAF rule; `cdk deploy --all` deploys it first.
 */
export function addRockOfAges(app: App, settings: InfraSettings): RockOfAgesStack {
  const edge =
    settings.compute === 'ecs'
      ? new AuthRateLimitStack(app, edgeStackName, {
          env: { region: edgeRegion },
          crossRegionReferences: true,
          description: 'Rock of Ages: the AWS WAF web ACL of the client distribution (limits /login and /register per viewer address)',
          requestsPerMinute: settings.wafAuthRequestsPerMinute,
        })
      : undefined;
  const stack = new RockOfAgesStack(app, stackName, {
    // Region only: without an account the app makes no lookups and synthesizes offline.
    env: { region: settings.region },
    description:
      settings.compute === 'ecs'
        ? 'Rock of Ages: RDS PostgreSQL, the API on ECS Fargate behind a load balancer, ECR, GitHub OIDC deploy role, client hosting'
        : 'Rock of Ages: RDS PostgreSQL, the API host, ECR, GitHub OIDC deploy role, client hosting',
    settings,
    ...(edge === undefined ? {} : { crossRegionReferences: true, webAclArn: edge.webAcl.attrArn }),
  });
  for (const each of [stack, edge]) if (each !== undefined) Tags.of(each).add('project', 'rock-of-ages');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
