import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The SSM Parameter Store path where the pipeline keeps the API's settings (SecureString parameters
 * encrypted with the account's default aws/ssm key) and the API host reads them.
 */
export class ApiParameters {
  /** The path itself, as GetParametersByPath names it: `.../parameter/rock-of-ages/api`. */
  readonly pathArn: string;
  /** Every parameter under the path: `.../parameter/rock-of-ages/api/*`. */
  readonly parametersArn: string;
  /** Any KMS key of the account, narrowed by the conditions of `keyUseStatement`. */
  readonly keysArn: string;

  constructor(
    private readonly scope: Construct,
    readonly prefix: string,
  ) {
    const path = prefix.slice(1, -1);
    const stack = Stack.of(scope);
    this.pathArn = stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: path });
    this.parametersArn = stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${path}/*` });
    this.keysArn = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
  }

  /**
   * Use of KMS keys by Parameter Store, for these parameters only: SSM puts the parameter's ARN in the
   * encryption context, and the key (aws/ssm by default, whose id no template can know) is any of the account's.
   */
  keyUseStatement(actions: string[]): iam.PolicyStatement {
    const stack = Stack.of(this.scope);
    return new iam.PolicyStatement({
      actions,
      resources: [this.keysArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `ssm.${stack.region}.${stack.urlSuffix}` },
        StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': this.parametersArn },
      },
    });
  }
}
