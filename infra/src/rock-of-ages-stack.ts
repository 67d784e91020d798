import { CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { ApiDeployDocument } from './api-deploy-document.js';
import { ApiHealthAlarm } from './api-health-alarm.js';
import { ApiHost } from './api-host.js';
import { ApiLogs } from './api-logs.js';
import { ApiParameters } from './api-parameters.js';
import { ApiRoute, apiPathPrefix, vpcOriginOptions } from './api-route.js';
import { ApiService, apiContainerName } from './api-service.js';
import { ClientHosting } from './client-hosting.js';
import { Database, databaseName, databasePort, masterUsername } from './database.js';
import { GitHubDeployRole, type PipelineDeployment } from './github-deploy-role.js';
import { ImageRepository } from './image-repository.js';
import { Network, vpcCidr } from './network.js';
import { PhotoStorage } from './photo-storage.js';
import type { InfraSettings } from './settings.js';

export interface RockOfAgesStackProps extends StackProps {
  readonly settings: InfraSettings;
  /** The AWS WAF web ACL for the distribution (the ECS option's limit on /login and /register). */
  readonly webAclArn?: string;
}

type Outputs = Record<string, [value: string, description: string]>;

/** What runs the API, as the parts shared by both options need it. */
interface Compute {
  securityGroup: ec2.ISecurityGroup;
  origin: cloudfront.IOrigin;
  deployment: PipelineDeployment;
  healthMetric: cloudwatch.IMetric;
  unhealthyMeans?: string;
  outputs: Outputs;
}

/**
 * The whole environment: one stack, so that one command creates it and one tears it down. The API's
 * compute is the EC2 host with its deploy document (the default), or an ECS Fargate service behind an
 * internal load balancer (`compute=ecs`); the network, the database, the image repository, the logs,
 * the client hosting with the API's route, the health alarm and the deploy role are the same for both.
 */
export class RockOfAgesStack extends Stack {
  constructor(scope: Construct, id: string, props: RockOfAgesStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const deleteDataOnDestroy = settings.devDeleteDataOnDestroy;

    const network = new Network(this, 'Network', { deleteDataOnDestroy });
    const imageRepository = new ImageRepository(this, 'ImageRepository', {
      repositoryName: settings.ecrRepositoryName,
      imagesToKeep: settings.ecrImagesToKeep,
      deleteDataOnDestroy,
    });
    const apiLogs = new ApiLogs(this, 'ApiLogs', { deleteDataOnDestroy, deployCommands: settings.compute === 'ec2' });
    const database = new Database(this, 'Database', {
      vpc: network.vpc,
      instanceIdentifier: settings.dbInstanceIdentifier,
      availabilityZone: network.primarySubnet.availabilityZone,
      instanceClass: settings.dbInstanceClass,
      publicAccessCidr: settings.dbPublicAccessCidr,
      multiAz: settings.dbMultiAz,
      readReplica: settings.dbReadReplica,
      deleteDataOnDestroy,
    });

    const client = new ClientHosting(this, 'ClientHosting', { deleteDataOnDestroy, webAclArn: props.webAclArn });
    const photos = new PhotoStorage(this, 'PhotoStorage', { deleteDataOnDestroy, distribution: client.distribution });

    const compute =
      settings.compute === 'ecs'
        ? this.ecsCompute(settings, network, imageRepository, apiLogs, database, photos)
        : this.ec2Compute(settings, network, imageRepository, apiLogs, database, photos);
    database.allowFrom(compute.securityGroup, settings.compute === 'ecs' ? 'PostgreSQL, API tasks to database' : 'PostgreSQL, API host to database');

    const healthAlarm = new ApiHealthAlarm(this, 'ApiHealthAlarm', {
      healthMetric: compute.healthMetric,
      email: settings.alarmEmail,
      unhealthyMeans: compute.unhealthyMeans,
    });

    new ApiRoute(this, 'ApiRoute', { distribution: client.distribution, origin: compute.origin });
    const deployRole = new GitHubDeployRole(this, 'GitHubDeploy', {
      repository: settings.githubRepository ?? this.githubRepositoryParameter(),
      existingProviderArn: settings.githubOidcProviderArn,
      imageRepository: imageRepository.repository,
      deployment: compute.deployment,
      clientBucket: client.bucket,
      distribution: client.distribution,
    });
    if (compute.deployment instanceof ApiService) compute.deployment.acknowledgeDeployWildcards(deployRole.role);

    const repositoryUri = imageRepository.repository.repositoryUri;
    const apiUrl = `https://${client.distribution.distributionDomainName}${apiPathPrefix}`;
    const outputs: Outputs = {
      AwsRegion: [this.region, 'GitHub variable AWS_REGION'],
      DeployRoleArn: [deployRole.role.roleArn, 'GitHub variable OIDC_ROLE_TO_ASSUME'],
      EcrRegistry: [Fn.select(0, Fn.split('/', repositoryUri)), 'GitHub variable ECR_REGISTRY'],
      EcrRepositoryName: [imageRepository.repository.repositoryName, 'GitHub variable ECR_REPOSITORY'],
      EcrRepositoryUri: [repositoryUri, 'Where the API image is pushed and pulled'],
      ...compute.outputs,
      ApiUrlViaCloudFront: [apiUrl, "The API over HTTPS on the client's domain: GitHub variables API_URL and VITE_API_URL"],
      ApiLogGroupName: [apiLogs.container.logGroupName, "The API container's log lines"],
      ApiHealthAlarmName: [healthAlarm.alarm.alarmName, "The alarm on the API's health"],
      DatabaseEndpoint: [database.instance.dbInstanceEndpointAddress, "The database's host name (psql, with the dbPublicAccessCidr opt-in)"],
      DatabasePort: [String(databasePort), "The database's port"],
      DatabaseName: [databaseName, 'The database'],
      DatabaseUser: [masterUsername, "The database's master user"],
      DatabaseSecretArn: [database.secret.secretArn, 'The secret with the master password (the "password" field); the API reads it at each deploy or task start'],
      ...(database.readReplica === undefined
        ? {}
        : { DatabaseReadReplicaEndpoint: [database.readReplica.dbInstanceEndpointAddress, 'The read replica, for reporting queries (the API uses the primary)'] as [string, string] }),
      ClientBucketName: [client.bucket.bucketName, 'GitHub variable CLIENT_S3_BUCKET'],
      ClientDistributionId: [client.distribution.distributionId, 'GitHub variable CLOUDFRONT_DISTRIBUTION_ID'],
      ClientDistributionDomainName: [client.distribution.distributionDomainName, "The client's domain name"],
      ClientUrl: [`https://${client.distribution.distributionDomainName}`, 'The client: GitHub variable CLIENT_URL'],
      PhotoBucketName: [photos.bucket.bucketName, "The rock photos' bucket (the API's S3_BUCKET)"],
    };
    for (const [outputId, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, outputId, { value, description });
    }
  }

  /** The workshop's way: one EC2 host, deployed to through its Systems Manager document. */
  private ec2Compute(settings: InfraSettings, network: Network, imageRepository: ImageRepository, apiLogs: ApiLogs, database: Database, photos: PhotoStorage): Compute {
    if (settings.apiHostAmiId === undefined || apiLogs.deploys === undefined) throw new Error('The EC2 host needs apiHostAmiId and the deploy log group');
    const parameters = new ApiParameters(this, settings.apiParameterPrefix);
    // The deploy reads them at each run: passed in the deploy document, the public URL would make the
    // distribution, the host (tagged with the document's name) and the document depend on each other.
    parameters.addPhotoSettings(this, { bucketName: photos.bucket.bucketName, publicUrl: photos.publicUrl });
    const apiHost = new ApiHost(this, 'ApiHost', {
      vpc: network.vpc,
      subnet: network.primarySubnet,
      instanceType: settings.apiInstanceType,
      amiId: settings.apiHostAmiId,
      originRange: vpcCidr,
      imageRepository: imageRepository.repository,
      parameters,
      logs: { container: apiLogs.container, deploys: apiLogs.deploys },
    });
    database.secret.grantRead(apiHost.role);
    photos.grantApiAccess(apiHost.role);
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
    return {
      securityGroup: apiHost.securityGroup,
      origin: origins.VpcOrigin.withEc2Instance(apiHost.instance, vpcOriginOptions),
      deployment: deployDocument,
      healthMetric: apiHost.healthMetric,
      outputs: {
        DeployDocumentName: [deployDocument.documentName, 'GitHub variable DEPLOY_DOCUMENT: the one command the pipeline may run on the API host'],
        DeployLogGroupName: [apiLogs.deploys.logGroupName, 'GitHub variable DEPLOY_LOG_GROUP: where each deploy command writes its output'],
        ApiParameterPrefix: [parameters.prefix, 'GitHub variable SSM_PARAMETER_PREFIX: where the pipeline stores SEED for the host'],
        ApiHostInstanceId: [apiHost.instance.instanceId, 'The API host (the pipeline finds it by its tag; no variable needs this id)'],
      },
    };
  }

  /** More than one instance: an ECS Fargate service behind an internal load balancer, deployed by the ECS workflow. */
  private ecsCompute(settings: InfraSettings, network: Network, imageRepository: ImageRepository, apiLogs: ApiLogs, database: Database, photos: PhotoStorage): Compute {
    const api = new ApiService(this, 'ApiService', {
      vpc: network.vpc,
      imageRepository: imageRepository.repository,
      database: {
        host: database.instance.dbInstanceEndpointAddress,
        port: databasePort,
        name: databaseName,
        secret: database.instance.secret ?? database.secret,
      },
      logGroup: apiLogs.container,
      photos: { bucketName: photos.bucket.bucketName, publicUrl: photos.publicUrl },
      originRange: vpcCidr,
      trustedProxies: vpcCidr,
      cpu: settings.ecsTaskCpu,
      memoryMiB: settings.ecsTaskMemory,
      minTasks: settings.ecsMinTasks,
      maxTasks: settings.ecsMaxTasks,
    });
    photos.grantApiAccess(api.taskDefinition.taskRole);
    return {
      securityGroup: api.securityGroup,
      origin: api.origin,
      deployment: api,
      healthMetric: api.healthMetric,
      unhealthyMeans: 'no task has passed the load balancer\'s /health/live check',
      outputs: {
        EcsClusterName: [api.cluster.clusterName, 'GitHub variable ECS_CLUSTER'],
        EcsServiceName: [api.service.serviceName, 'GitHub variable ECS_SERVICE'],
        EcsTaskFamily: [api.taskDefinition.family, `GitHub variable ECS_TASK_FAMILY: the task definition the deploy renders the image into (container ${apiContainerName})`],
      },
    };
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
