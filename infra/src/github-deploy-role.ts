import { Duration } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.js';

export const githubTokenIssuer = 'token.actions.githubusercontent.com';

/** A way of running the API (the EC2 host's deploy document, the ECS service) that the pipeline deploys to. */
export interface PipelineDeployment {
  /**
   * Allows the role exactly what a deploy does, and says which of those actions take no resource in
   * IAM (granted on "*"), for the acknowledgement.
   */
  grantDeploy(role: iam.Role): string;
}

export interface GitHubDeployRoleProps {
  /** `owner/name`; only workflows of this repository's `main` branch may assume the role. */
  readonly repository: string;
  /** An account holds one GitHub OIDC provider: reuse it when it exists, otherwise one is created. */
  readonly existingProviderArn?: string;
  readonly imageRepository: ecr.IRepository;
  /** What deploying the API means here. */
  readonly deployment: PipelineDeployment;
  readonly clientBucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
}

/** The branch whose workflows may deploy: every job that reaches AWS runs on it. */
export const deployBranch = 'main';

/**
 * GitHub Actions' OIDC provider and the role the delivery pipeline assumes through it, with just what
 * the pipeline does: push the API image, deploy it (what the deployment allows: the EC2 host's document
 * and seed, or the ECS service and its migration task), upload the client and invalidate its cache.
 */
export class GitHubDeployRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GitHubDeployRoleProps) {
    super(scope, id);
    const provider =
      props.existingProviderArn === undefined
        ? new iam.OidcProviderNative(this, 'Provider', {
            url: `https://${githubTokenIssuer}`,
            clientIds: ['sts.amazonaws.com'],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, 'Provider', props.existingProviderArn);

    this.role = new iam.Role(this, 'Role', {
      description: `Assumed by the GitHub Actions workflows of one repository's ${deployBranch} branch to deliver Rock of Ages`,
      maxSessionDuration: Duration.hours(1),
      // Exactly the main branch: not other branches, tags, pull requests or environments.
      assumedBy: new iam.WebIdentityPrincipal(provider.oidcProviderArn, {
        StringEquals: {
          [`${githubTokenIssuer}:aud`]: 'sts.amazonaws.com',
          [`${githubTokenIssuer}:sub`]: `repo:${props.repository}:ref:refs/heads/${deployBranch}`,
        },
      }),
    });

    props.imageRepository.grantPush(this.role);
    const deployWithoutResource = props.deployment.grantDeploy(this.role);

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

    this.acknowledgeFindings(props, deployWithoutResource);
  }

  private acknowledgeFindings({ clientBucket }: GitHubDeployRoleProps, deployWithoutResource: string): void {
    acknowledgeWildcardResource(this.role, '*', `ecr:GetAuthorizationToken (for \`docker login\`), ${deployWithoutResource} take no resource in IAM.`);
    acknowledgeWildcardResource(
      this.role,
      clientBucket.arnForObjects('*'),
      "`aws s3 sync --delete` of the client's build replaces any file in the client's own bucket, and only there.",
    );
  }
}
