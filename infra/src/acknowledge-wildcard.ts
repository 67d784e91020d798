import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own naming of a resource in its findings, so that an acknowledgement matches exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource in the policies of a
 * role, and for that resource only: each wildcard needs its own reason.
 */
export function acknowledgeWildcardResource(role: IConstruct, resourceArn: string, reason: string): void {
  const resource = flattenCfnReference(Stack.of(role).resolve(resourceArn));
  Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}
