import { CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiDeployDocument } from './api-deploy-document.js';
import { ApiHealthAlarm } from './api-health-alarm.js';
import { ApiHost } from './api-host.js';
import { ApiLogs } from './api-logs.js';
import { ApiParameters } from './api-parameters.js';
import { ApiRoute, apiPathPrefix } from './api-route.js';
import { ClientHosting } from './client-hosting.js';
import { Database, databaseName, databasePort, masterUsername } from './database.js';
import { GitHubDeployRole } from './github-deploy-role.js';
import { ImageRepository } from './image-repository.js';
import { Network, vpcCidr } from './network.js';
import type { InfraSettings } from './settings.js';

export interface RockOfAgesStackProps extends StackProps {
  readonly settings: InfraSettings;
}

/**
 * The whole environment: one stack, so that one command creates it and one tears it down. The API's
 * compute is the EC2 host with its deploy document, logs and health alarm; the database, the image
 * repository, the client hosting and the deploy role do not depend on what runs the API.
 */
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
    const apiLogs = new ApiLogs(this, 'ApiLogs', { deleteDataOnDestroy });
    const apiHost = new ApiHost(this, 'ApiHost', {
      vpc,
      subnet: primarySubnet,
      instanceType: settings.apiInstanceType,
      amiId: settings.apiHostAmiId,
      originRange: vpcCidr,
      imageRepository: imageRepository.repository,
      parameters,
      logs: apiLogs,
    });
    const database = new Database(this, 'Database', {
      vpc,
      instanceIdentifier: settings.dbInstanceIdentifier,
      availabilityZone: primarySubnet.availabilityZone,
      instanceClass: settings.dbInstanceClass,
      publicAccessCidr: settings.dbPublicAccessCidr,
      deleteDataOnDestroy,
    });
    database.allowFrom(apiHost.securityGroup, 'PostgreSQL, API host to database');
    database.secret.grantRead(apiHost.role);

    const deployDocument = new ApiDeployDocument(this, 'ApiDeployDocument', {
      repositoryName: settings.ecrRepositoryName,
      region: this.region,
      // The attached secret: it names the database's host and port once the database exists.
      databaseSecret: database.instance.secret ?? database.secret,
      databaseName,
      parameters,
      containerLogGroup: apiLogs.container,
      trustedProxies: vpcCidr,
    });
    deployDocument.targetInstance(apiHost.instance);
    const healthAlarm = new ApiHealthAlarm(this, 'ApiHealthAlarm', {
      healthMetric: apiHost.healthMetric,
      email: settings.alarmEmail,
    });

    const client = new ClientHosting(this, 'ClientHosting', { deleteDataOnDestroy });
    new ApiRoute(this, 'ApiRoute', { distribution: client.distribution, apiHost: apiHost.instance });
    const deployRole = new GitHubDeployRole(this, 'GitHubDeploy', {
      repository: settings.githubRepository ?? this.githubRepositoryParameter(),
      existingProviderArn: settings.githubOidcProviderArn,
      imageRepository: imageRepository.repository,
      apiHost: apiHost.instance,
      deployDocumentArn: deployDocument.documentArn,
      parameters,
      clientBucket: client.bucket,
      distribution: client.distribution,
    });

    const repositoryUri = imageRepository.repository.repositoryUri;
    const apiUrl = `https://${client.distribution.distributionDomainName}${apiPathPrefix}`;
    const outputs: Record<string, [value: string, description: string]> = {
      AwsRegion: [this.region, 'GitHub variable AWS_REGION'],
      DeployRoleArn: [deployRole.role.roleArn, 'GitHub variable OIDC_ROLE_TO_ASSUME'],
      EcrRegistry: [Fn.select(0, Fn.split('/', repositoryUri)), 'GitHub variable ECR_REGISTRY'],
      EcrRepositoryName: [imageRepository.repository.repositoryName, 'GitHub variable ECR_REPOSITORY'],
      EcrRepositoryUri: [repositoryUri, 'Where the API image is pushed and pulled'],
      DeployDocumentName: [deployDocument.documentName, 'GitHub variable DEPLOY_DOCUMENT: the one command the pipeline may run on the API host'],
      DeployLogGroupName: [apiLogs.deploys.logGroupName, 'GitHub variable DEPLOY_LOG_GROUP: where each deploy command writes its output'],
      ApiParameterPrefix: [parameters.prefix, 'GitHub variable SSM_PARAMETER_PREFIX: where the pipeline stores SEED for the host'],
      ApiUrlViaCloudFront: [apiUrl, "The API over HTTPS on the client's domain: GitHub variables API_URL and VITE_API_URL"],
      ApiLogGroupName: [apiLogs.container.logGroupName, "The API container's log lines"],
      ApiHealthAlarmName: [healthAlarm.alarm.alarmName, "The alarm on the API's health"],
      ApiHostInstanceId: [apiHost.instance.instanceId, 'The API host (the pipeline finds it by its tag; no variable needs this id)'],
      DatabaseEndpoint: [database.instance.dbInstanceEndpointAddress, "The database's host name (psql, with the dbPublicAccessCidr opt-in)"],
      DatabasePort: [String(databasePort), "The database's port"],
      DatabaseName: [databaseName, 'The database'],
      DatabaseUser: [masterUsername, "The database's master user"],
      DatabaseSecretArn: [database.secret.secretArn, 'The secret with the master password (the "password" field); the API host reads it at each deploy'],
      ClientBucketName: [client.bucket.bucketName, 'GitHub variable CLIENT_S3_BUCKET'],
      ClientDistributionId: [client.distribution.distributionId, 'GitHub variable CLOUDFRONT_DISTRIBUTION_ID'],
      ClientDistributionDomainName: [client.distribution.distributionDomainName, "The client's domain name"],
      ClientUrl: [`https://${client.distribution.distributionDomainName}`, 'The client: GitHub variable CLIENT_URL'],
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
}
