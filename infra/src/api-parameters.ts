import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * The SSM Parameter Store path of the API's settings that the pipeline chooses and the host reads at
 * each deploy. For a stack this project created there is one, `SEED` (a plain String: which rows the
 * API seeds); the database credentials stay in Secrets Manager and are never copied here.
 */
export class ApiParameters {
  /** `SEED` under the prefix, e.g. `/rock-of-ages/api/SEED`. */
  readonly seedParameterName: string;
  readonly seedParameterArn: string;

  constructor(
    scope: Construct,
    readonly prefix: string,
  ) {
    this.seedParameterName = `${prefix}SEED`;
    this.seedParameterArn = Stack.of(scope).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: this.seedParameterName.slice(1),
    });
  }
}
