import { CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { ApiHost } from './api-host.js';
import { ApiParameters } from './api-parameters.js';
import { ApiRoute, apiPathPrefix } from './api-route.js';
import { ClientHosting } from './client-hosting.js';
import { Database, databaseName, databasePort, masterUsername } from './database.js';
import { GitHubDeployRole } from './github-deploy-role.js';
import { ImageRepository } from './image-repository.js';
import { Network } from './network.js';
import type { InfraSettings } from './settings.js';

export interface RockOfAgesStackProps extends StackProps {
  readonly settings: InfraSettings;
}

/** The whole environment: one stack, so that one command creates it and one tears it down. */
export class RockOfAgesStack extends Stack {
  constructor(scope: Construct, id: string, props: RockOfAgesStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const deleteDataOnDestroy = settings.devDeleteDataOnDestroy;

    const { vpc, primarySubnet } = new Network(this, 'Network', { deleteDataOnDestroy });
    const imageRepository = new ImageRepository(this, 'ImageRepository', {
      repositoryName: settings.ecrRepositoryName,
      imagesToKeep: settings.ecrImagesToKeep,
      deleteDataOnDestroy,
    });
    const parameters = new ApiParameters(this, settings.apiParameterPrefix);
    const apiHost = new ApiHost(this, 'ApiHost', {
      vpc,
      subnet: primarySubnet,
      instanceType: settings.apiInstanceType,
      amiId: settings.apiHostAmiId,
      imageRepository: imageRepository.repository,
      parameters,
    });
    const database = new Database(this, 'Database', {
      vpc,
      availabilityZone: primarySubnet.availabilityZone,
      instanceClass: settings.dbInstanceClass,
      publicAccessCidr: settings.dbPublicAccessCidr,
      deleteDataOnDestroy,
    });
    database.allowFrom(apiHost.securityGroup, 'PostgreSQL, API host to database');
    database.secret.grantRead(apiHost.role);

    const client = new ClientHosting(this, 'ClientHosting', { deleteDataOnDestroy });
    new ApiRoute(this, 'ApiRoute', {
      distribution: client.distribution,
      apiDomainName: apiHost.instance.instancePublicDnsName,
    });
    const deployRole = new GitHubDeployRole(this, 'GitHubDeploy', {
      repository: settings.githubRepository ?? this.githubRepositoryParameter(),
      existingProviderArn: settings.githubOidcProviderArn,
      imageRepository: imageRepository.repository,
      apiHost: apiHost.instance,
      parameters,
      clientBucket: client.bucket,
      distribution: client.distribution,
    });

    const repositoryUri = imageRepository.repository.repositoryUri;
    const outputs: Record<string, [value: string, description: string]> = {
      AwsRegion: [this.region, 'GitHub variable AWS_REGION'],
      DeployRoleArn: [deployRole.role.roleArn, 'GitHub variable OIDC_ROLE_TO_ASSUME'],
      ApiHostInstanceId: [apiHost.instance.instanceId, 'GitHub variable EC2_INSTANCE_ID'],
      EcrRegistry: [Fn.select(0, Fn.split('/', repositoryUri)), 'GitHub variable ECR_REGISTRY'],
      EcrRepositoryName: [imageRepository.repository.repositoryName, 'GitHub variable ECR_REPOSITORY'],
      EcrRepositoryUri: [repositoryUri, 'Where the API image is pushed and pulled'],
      DatabaseEndpoint: [database.instance.dbInstanceEndpointAddress, 'GitHub secret DB_HOST'],
      DatabasePort: [String(databasePort), 'GitHub secret DB_PORT'],
      DatabaseName: [databaseName, 'GitHub secret DB_NAME'],
      DatabaseUser: [masterUsername, 'GitHub secret DB_USER'],
      DatabaseSecretArn: [database.secret.secretArn, 'GitHub secret DB_PASSWORD is the "password" field of this secret'],
      ApiParameterPrefix: [parameters.prefix, "Where the pipeline stores the API's settings for the host"],
      ApiHostImageId: [this.imageIdOf(apiHost.instance), 'The Amazon Linux image in use; pin it with apiHostAmiId'],
      ApiUrl: [`http://${apiHost.instance.instancePublicDnsName}`, 'The API on the host (the address changes if the host stops)'],
      ApiUrlViaCloudFront: [
        `https://${client.distribution.distributionDomainName}${apiPathPrefix}`,
        "The API over HTTPS on the client's domain: GitHub variable VITE_API_URL",
      ],
      ClientBucketName: [client.bucket.bucketName, "Where the pipeline uploads the client's build"],
      ClientDistributionId: [client.distribution.distributionId, 'The distribution the pipeline invalidates'],
      ClientDistributionDomainName: [client.distribution.distributionDomainName, "The client's domain name"],
      ClientUrl: [`https://${client.distribution.distributionDomainName}`, 'The client'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, id, { value, description });
    }
  }

  /** Without a configured repository the template asks for it at deploy time, rather than trust a guess. */
  private githubRepositoryParameter(): string {
    return new CfnParameter(this, 'GitHubRepository', {
      type: 'String',
      description: 'The GitHub repository (owner/name) whose workflows may assume the deploy role',
      allowedPattern: '^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$',
      constraintDescription: 'a GitHub repository as owner/name',
    }).valueAsString;
  }

  private imageIdOf(instance: ec2.Instance): string {
    return (instance.node.defaultChild as ec2.CfnInstance).imageId as string;
  }
}
