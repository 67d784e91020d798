import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.js';
import type { ApiParameters } from './api-parameters.js';

export const githubTokenIssuer = 'token.actions.githubusercontent.com';

export interface GitHubDeployRoleProps {
  /** `owner/name`; only workflows of this repository may assume the role. */
  readonly repository: string;
  /** An account holds one GitHub OIDC provider: reuse it when it exists, otherwise one is created. */
  readonly existingProviderArn?: string;
  readonly imageRepository: ecr.IRepository;
  readonly apiHost: ec2.Instance;
  readonly parameters: ApiParameters;
  readonly clientBucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
}

/**
 * GitHub Actions' OIDC provider and the role the delivery pipeline assumes through it, with just what
 * the pipeline does: push the API image, run the deploy command on the API host, store the API's
 * settings, upload the client and invalidate its cache.
 */
export class GitHubDeployRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GitHubDeployRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const provider =
      props.existingProviderArn === undefined
        ? new iam.OidcProviderNative(this, 'Provider', {
            url: `https://${githubTokenIssuer}`,
            clientIds: ['sts.amazonaws.com'],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.existingProviderArn);

    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by the GitHub Actions workflows of one repository to deliver Rock of Ages',
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: { [`${githubTokenIssuer}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${githubTokenIssuer}:sub`]: `repo:${props.repository}:*` },
      }),
    });

    props.imageRepository.grantPush(this.role);

    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:SendCommand'],
        resources: [
          stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: props.apiHost.instanceId }),
          stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: 'AWS-RunShellScript' }),
        ],
      }),
    );
    // GetCommandInvocation has no resource type: IAM accepts only "*" for it.
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetCommandInvocation'], resources: ['*'] }));

    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['ssm:PutParameter'], resources: [props.parameters.parametersArn] }),
    );
    this.role.addToPolicy(props.parameters.keyUseStatement(['kms:Encrypt']));

    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.clientBucket.bucketArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [props.clientBucket.arnForObjects('*')],
      }),
    );

    props.distribution.grantCreateInvalidation(this.role);

    this.acknowledgeFindings(props);
  }

  private acknowledgeFindings({ parameters, clientBucket }: GitHubDeployRoleProps): void {
    acknowledgeWildcardResource(
      this.role,
      '*',
      'ecr:GetAuthorizationToken (for `docker login`) and ssm:GetCommandInvocation (to follow the deploy ' +
        'command) take no resource in IAM.',
    );
    acknowledgeWildcardResource(
      this.role,
      parameters.parametersArn,
      `Writes only the API's own settings, the parameters under ${parameters.prefix}.`,
    );
    acknowledgeWildcardResource(
      this.role,
      parameters.keysArn,
      "Encrypts through Parameter Store only, and only the parameters under the API's prefix (conditions " +
        'kms:ViaService and kms:EncryptionContext:PARAMETER_ARN); the default aws/ssm key has no id a template can know.',
    );
    acknowledgeWildcardResource(
      this.role,
      clientBucket.arnForObjects('*'),
      "`aws s3 sync --delete` of the client's build replaces any file in the client's own bucket, and only there.",
    );
  }
}
