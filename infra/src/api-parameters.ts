import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
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
  /** `S3_BUCKET` and `PHOTOS_PUBLIC_URL` under the prefix, once addPhotoSettings made them. */
  readonly photoParameterArns: string[] = [];

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

  /** The photo store's settings, as plain String parameters the deploy copies into the API's `.env`. */
  addPhotoSettings(scope: Construct, photos: { bucketName: string; publicUrl: string }): void {
    const settings = { S3_BUCKET: photos.bucketName, PHOTOS_PUBLIC_URL: photos.publicUrl };
    for (const [name, value] of Object.entries(settings)) {
      new ssm.StringParameter(scope, `ApiSetting${name}`, {
        parameterName: `${this.prefix}${name}`,
        stringValue: value,
        description: `Rock of Ages API: ${name}, read at each deploy`,
      });
      // By name, not by reference: the host's role must not wait for the distribution the value names.
      this.photoParameterArns.push(Stack.of(scope).formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${this.prefix.slice(1)}${name}` }));
    }
  }
}
