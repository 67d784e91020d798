import { ArnFormat, Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.js';
import { vpcOriginOptions } from './api-route.js';
import type { PipelineDeployment } from './github-deploy-role.js';

export interface ApiServiceProps {
  readonly vpc: ec2.IVpc;
  readonly imageRepository: ecr.IRepository;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    /** The database's secret: `username` and `password` reach the container from Secrets Manager. */
    readonly secret: secretsmanager.ISecret;
  };
  readonly logGroup: logs.ILogGroup;
  /** The photo bucket and where browsers fetch photos (the API's S3_BUCKET and PHOTOS_PUBLIC_URL). */
  readonly photos: { readonly bucketName: string; readonly publicUrl: string };
  /** The addresses allowed to reach the load balancer on port 80: the VPC's own range, where CloudFront's VPC origin connects from. */
  readonly originRange: string;
  /** The proxies in front of the API (CloudFront's VPC origin, the load balancer), for TRUST_PROXY. */
  readonly trustedProxies: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/** The container's name in the task definition: the deploy workflow renders the new image into it. */
export const apiContainerName = 'api';
export const apiContainerPort = 8000;
/** Where the image keeps AWS's RDS certificate bundle (the EC2 host mounts a fresh copy at the same path). */
export const rdsCaBundlePath = '/etc/rock-of-ages/rds-global-bundle.pem';
/** The awslogs stream prefix: a task's lines are in `api/api/<task id>`. */
export const logStreamPrefix = 'api';

/** How the service scales: the target of each tracking policy. */
export const scalingTargets = { cpuPercent: 60, requestsPerTargetPerMinute: 3000 } as const;
/**
 * Shutdown, in order: the load balancer stops sending (deregistration delay; ECS sends SIGTERM after it),
 * the API keeps readiness off for a moment longer, drains, and must be done before ECS's stop timeout.
 */
export const shutdownTimings = { deregistrationDelaySeconds: 30, apiDeregistrationSeconds: 5, apiDrainSeconds: 5, stopTimeoutSeconds: 30 } as const;

/**
 * The API on ECS Fargate: a service of at least two tasks (one per zone) behind an internal Application
 * Load Balancer that only CloudFront's VPC origin reaches, scaling on CPU and on requests per task, with a
 * deployment circuit breaker that rolls a failed deploy back. The tasks run with migrations and seeding
 * off: the deploy runs them once, as a task of their own, before it updates the service. The database
 * password comes from Secrets Manager; nothing from the internet may connect to a task.
 */
export class ApiService extends Construct implements PipelineDeployment {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  /** CloudFront's way in: a VPC origin on the internal load balancer. */
  readonly origin: cloudfront.IOrigin;
  /** Tasks that pass the load balancer's /health/live check: its minimum over a minute is 0 when none did. */
  readonly healthMetric: cloudwatch.IMetric;
  private readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    this.logGroup = props.logGroup;

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.taskDefinition.addContainer('Api', {
      containerName: apiContainerName,
      // The pipeline renders each deploy's own image (its commit SHA) into a new revision; `latest` is
      // what the stack itself starts, and what a `cdk deploy` that changes the task definition rolls to.
      image: ecs.ContainerImage.fromEcrRepository(props.imageRepository, 'latest'),
      portMappings: [{ containerPort: apiContainerPort }],
      environment: {
        NODE_ENV: 'production',
        REQUIRE_DATABASE: 'true',
        // The deploy's one-off task migrates and seeds; a rollback of the service leaves the schema alone.
        MIGRATE_ON_START: 'false',
        SEED: 'none',
        DB_HOST: props.database.host,
        DB_PORT: String(props.database.port),
        DB_NAME: props.database.name,
        // Ten tasks at most, five connections each: within a db.t4g.micro's limit of about 80.
        DB_POOL_MAX: '5',
        SSLMODE: 'verify-full',
        DB_SSLROOTCERT: rdsCaBundlePath,
        TRUST_PROXY: props.trustedProxies,
        SHUTDOWN_DEREGISTRATION_SECONDS: String(shutdownTimings.apiDeregistrationSeconds),
        SHUTDOWN_DRAIN_SECONDS: String(shutdownTimings.apiDrainSeconds),
        // The root filesystem is read-only: photos go to S3, with the task role's credentials.
        S3_BUCKET: props.photos.bucketName,
        PHOTOS_PUBLIC_URL: props.photos.publicUrl,
        AWS_REGION: Stack.of(this).region,
      },
      // Injected by ECS from Secrets Manager when the task starts: never in the task definition.
      secrets: {
        DB_USER: ecs.Secret.fromSecretsManager(props.database.secret, 'username'),
        DB_PASSWORD: ecs.Secret.fromSecretsManager(props.database.secret, 'password'),
      },
      logging: ecs.LogDrivers.awsLogs({
        logGroup: props.logGroup,
        streamPrefix: logStreamPrefix,
        // A slow CloudWatch never holds up the API's writes.
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(4),
      }),
      healthCheck: {
        // Liveness only: a database outage must not make ECS replace every task at once.
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${apiContainerPort}/health/live').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))`,
        ],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      readonlyRootFilesystem: true,
      stopTimeout: Duration.seconds(shutdownTimings.stopTimeoutSeconds),
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: 'Rock of Ages API tasks: the API port from the load balancer only',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to ECR, Secrets Manager and CloudWatch');

    const loadBalancerGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'Rock of Ages API load balancer: HTTP from CloudFront VPC origin only',
      allowAllOutbound: false,
    });
    loadBalancerGroup.addIngressRule(
      ec2.Peer.ipv4(props.originRange),
      ec2.Port.tcp(80),
      "HTTP from CloudFront's VPC origin, whose connections come from addresses in this VPC",
    );

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      // Internal: no public address; CloudFront reaches it through the VPC origin.
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: loadBalancerGroup,
      dropInvalidHeaderFields: true,
    });
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      port: apiContainerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(shutdownTimings.deregistrationDelaySeconds),
      healthCheck: {
        path: '/health/live',
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.loadBalancer.addListener('Http', { port: 80, open: false, defaultTargetGroups: [this.targetGroup] });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.minTasks,
      // Rolling updates without downtime: the new tasks are healthy before an old one stops.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      // Public subnets with no way in: the public address serves the task's own calls (no NAT gateway).
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [this.securityGroup],
      platformVersion: ecs.FargatePlatformVersion.LATEST,
    });
    this.service.attachToApplicationTargetGroup(this.targetGroup);

    const scaling = this.service.autoScaleTaskCount({ minCapacity: props.minTasks, maxCapacity: props.maxTasks });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: scalingTargets.cpuPercent });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: scalingTargets.requestsPerTargetPerMinute,
      targetGroup: this.targetGroup,
    });

    this.origin = origins.VpcOrigin.withApplicationLoadBalancer(this.loadBalancer, vpcOriginOptions);
    this.healthMetric = this.targetGroup.metrics.healthyHostCount({ statistic: cloudwatch.Stats.MINIMUM, period: Duration.minutes(1) });

    this.acknowledgeFindings();
  }

  /** Lets the pipeline register a task definition of this family, run it once as the migration task, and roll the service to it. */
  grantDeploy(role: iam.Role): string {
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], resources: ['*'] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        // The rendered task definition carries the stack's tags.
        actions: ['ecs:TagResource'],
        resources: [this.familyRevisionsArn()],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.taskDefinition.taskRole.roleArn, this.taskDefinition.obtainExecutionRole().roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [this.familyRevisionsArn()],
        conditions: { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } },
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeTasks'], resources: [this.clusterTasksArn()] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [this.service.serviceArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:GetLogEvents'], resources: [this.logStreamsArn()] }));
    return 'ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition (to render and register the task definition)';
  }

  private familyRevisionsArn(): string {
    return Stack.of(this).formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${this.taskDefinition.family}:*` });
  }

  private clusterTasksArn(): string {
    return Stack.of(this).formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.clusterName}/*` });
  }

  private logStreamsArn(): string {
    return Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${this.logGroup.logGroupName}:log-stream:${logStreamPrefix}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The pipeline role's wildcards, each acknowledged on that role with its reason. */
  acknowledgeDeployWildcards(role: iam.Role): void {
    acknowledgeWildcardResource(
      role,
      this.familyRevisionsArn(),
      "ecs:RunTask (the migration task) and ecs:TagResource (registering) on any revision of the API's own task definition family, each revision being what a deploy registers; RunTask only in this cluster.",
    );
    acknowledgeWildcardResource(role, this.clusterTasksArn(), 'ecs:DescribeTasks on the tasks of this cluster only, to follow the migration task, whose id is known only once it runs.');
    acknowledgeWildcardResource(
      role,
      this.logStreamsArn(),
      "logs:GetLogEvents on the API's own log streams, to show the migration task's output in the workflow; the streams are named by task id.",
    );
  }

  private acknowledgeFindings(): void {
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-ECS4',
      reason: 'Container Insights is billed per metric; the load balancer, service and alarm metrics cover two to ten tasks of one container.',
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'Only settings that are no secret are plain environment variables (the database host, the TLS mode, the shutdown timings); ' +
        'the database user and password come from Secrets Manager through `secrets`.',
    });
    acknowledgeWildcardResource(
      this.taskDefinition.obtainExecutionRole(),
      '*',
      'ecr:GetAuthorizationToken, which ECS needs to pull the image, takes no resource; the pulls themselves are held to the one repository.',
    );
    Validations.of(this.loadBalancer).acknowledge({
      id: 'AwsSolutions-ELB2',
      reason: "Access logs need an S3 bucket of their own; the API logs every request itself (CloudWatch), and CloudFront sees every viewer.",
    });
  }
}
