import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { rdsCaBundlePath, shutdownTimings } from '../src/api-service.js';
import { flat, grantsOf, onlyResource, securityGroupId, securityGroupRules, templateOf, CLIENT_BUCKET, PHOTO_BUCKET } from './support/templates.js';

const ecs = templateOf('ecs');
const ecsCustomized = templateOf('ecsCustomized');

interface ContainerDefinition {
  Name: string;
  Environment: { Name: string; Value: unknown }[];
  Secrets: { Name: string; ValueFrom: unknown }[];
  [setting: string]: unknown;
}
const containerOf = (template: typeof ecs) =>
  (onlyResource(template, 'AWS::ECS::TaskDefinition').properties.ContainerDefinitions as ContainerDefinition[])[0] as ContainerDefinition;
const environmentOf = (template: typeof ecs) => Object.fromEntries(containerOf(template).Environment.map((each) => [each.Name, flat(each.Value)]));

describe('the ECS option: the API on Fargate', () => {
  const service = onlyResource(ecs, 'AWS::ECS::Service');
  const container = containerOf(ecs);

  it('replaces the EC2 host, its deploy document and its probe; keeps one VPC, no NAT gateway', () => {
    for (const type of ['AWS::EC2::Instance', 'AWS::SSM::Document', 'AWS::IAM::InstanceProfile']) ecs.resourceCountIs(type, 0);
    ecs.resourceCountIs('AWS::EC2::NatGateway', 0);
    ecs.resourceCountIs('AWS::EC2::VPC', 1);
    expect(JSON.stringify(ecs.toJSON())).not.toContain('RockOfAges/Api');
  });

  it('runs at least two Fargate tasks, updated without downtime, a failed deploy rolled back by the circuit breaker', () => {
    expect(service.properties).toMatchObject({
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      LoadBalancers: [{ ContainerName: 'api', ContainerPort: 8000 }],
    });
  });

  it('scales from 2 to 10 tasks on CPU and on requests per task', () => {
    const target = onlyResource(ecs, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(target.properties).toMatchObject({ MinCapacity: 2, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount' });
    const policies = Object.values(ecs.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map(
      (policy) => policy.Properties.TargetTrackingScalingPolicyConfiguration as { PredefinedMetricSpecification: { PredefinedMetricType: string }; TargetValue: number },
    );
    expect(policies.map((policy) => [policy.PredefinedMetricSpecification.PredefinedMetricType, policy.TargetValue]).sort()).toEqual([
      ['ALBRequestCountPerTarget', 3000],
      ['ECSServiceAverageCPUUtilization', 60],
    ]);
    expect(onlyResource(ecsCustomized, 'AWS::ApplicationAutoScaling::ScalableTarget').properties).toMatchObject({ MinCapacity: 3, MaxCapacity: 6 });
    expect(onlyResource(ecsCustomized, 'AWS::ECS::Service').properties.DesiredCount).toBe(3);
  });

  it('injects the database user and password from its Secrets Manager secret, never as plain environment', () => {
    const attachment = onlyResource(ecs, 'AWS::SecretsManager::SecretTargetAttachment').id;
    expect(container.Secrets.map((secret) => [secret.Name, flat(secret.ValueFrom)])).toEqual([
      ['DB_USER', `<${attachment}>:username::`],
      ['DB_PASSWORD', `<${attachment}>:password::`],
    ]);
    const environment = environmentOf(ecs);
    expect(Object.keys(environment).filter((name) => /PASSWORD|SECRET|DATABASE_URL|DB_USER/.test(name))).toEqual([]);
    expect(JSON.stringify(onlyResource(ecs, 'AWS::ECS::TaskDefinition').properties)).not.toMatch(/resolve:secretsmanager/);
    const executionRole = flat(onlyResource(ecs, 'AWS::ECS::TaskDefinition').properties.ExecutionRoleArn).replace(/^<|\.Arn>$/g, '');
    expect(grantsOf(ecs, executionRole)).toContainEqual({
      actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      resources: [`<${attachment}>`],
    });
  });

  it('runs with migrations and seeding off, the database required, TLS checked against the RDS bundle, and the shutdown timings', () => {
    expect(environmentOf(ecs)).toEqual({
      NODE_ENV: 'production',
      REQUIRE_DATABASE: 'true',
      MIGRATE_ON_START: 'false',
      SEED: 'none',
      DB_HOST: `<${onlyResource(ecs, 'AWS::RDS::DBInstance').id}.Endpoint.Address>`,
      DB_PORT: '5432',
      DB_NAME: 'rockofages',
      DB_POOL_MAX: '5',
      SSLMODE: 'verify-full',
      DB_SSLROOTCERT: rdsCaBundlePath,
      TRUST_PROXY: '10.40.0.0/16',
      SHUTDOWN_DEREGISTRATION_SECONDS: '5',
      SHUTDOWN_DRAIN_SECONDS: '5',
      S3_BUCKET: `<${onlyResource(ecs, 'AWS::S3::Bucket', PHOTO_BUCKET).id}>`,
      PHOTOS_PUBLIC_URL: `https://<${onlyResource(ecs, 'AWS::CloudFront::Distribution').id}.DomainName>`,
      AWS_REGION: 'us-east-2',
    });
  });

  it('stops a task only after the load balancer let it go, and gives the API time for its own deregistration wait and drain', () => {
    const targetGroup = onlyResource(ecs, 'AWS::ElasticLoadBalancingV2::TargetGroup').properties;
    expect(targetGroup.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '30' });
    expect(container.StopTimeout).toBe(shutdownTimings.stopTimeoutSeconds);
    // The API's own limit: readiness off, the drain, then at most 10 s for requests in flight.
    expect(shutdownTimings.apiDeregistrationSeconds + shutdownTimings.apiDrainSeconds + 10).toBeLessThanOrEqual(shutdownTimings.stopTimeoutSeconds);
  });

  it('sends its lines to the API log group with awslogs, and checks liveness, not the database, in the container and at the load balancer', () => {
    const logGroup = Object.keys(ecs.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('ApiLogsContainer'));
    expect(container.LogConfiguration).toMatchObject({ LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: logGroup }, 'awslogs-stream-prefix': 'api', mode: 'non-blocking' } });
    expect(JSON.stringify(container.HealthCheck)).toContain("fetch('http://127.0.0.1:8000/health/live')");
    expect(onlyResource(ecs, 'AWS::ElasticLoadBalancingV2::TargetGroup').properties).toMatchObject({
      HealthCheckPath: '/health/live',
      Matcher: { HttpCode: '200' },
      TargetType: 'ip',
      Port: 8000,
    });
    expect(container.ReadonlyRootFilesystem).toBe(true);
  });

  it('takes the configured task size', () => {
    expect(onlyResource(ecs, 'AWS::ECS::TaskDefinition').properties).toMatchObject({ Cpu: '512', Memory: '1024', RequiresCompatibilities: ['FARGATE'] });
    expect(onlyResource(ecsCustomized, 'AWS::ECS::TaskDefinition').properties).toMatchObject({ Cpu: '1024', Memory: '3072' });
  });
});

describe('the ECS option: no public way in', () => {
  it.each(['ecs', 'ecsCustomized'] as const)('tasks admit the API port from the load balancer only; it admits port 80 from the VPC only (%s)', (configuration) => {
    const template = templateOf(configuration);
    const tasks = securityGroupId(template, 'Rock of Ages API tasks');
    const loadBalancer = securityGroupId(template, 'Rock of Ages API load balancer');
    const database = securityGroupId(template, 'Rock of Ages database');
    expect(securityGroupRules(template, tasks)).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 8000, toPort: 8000, peer: `<${loadBalancer}.GroupId>` },
      { direction: 'egress', protocol: 'tcp', fromPort: 443, toPort: 443, peer: '0.0.0.0/0' },
      { direction: 'egress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: `<${database}.GroupId>` },
    ]);
    expect(securityGroupRules(template, loadBalancer)).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 80, toPort: 80, peer: '10.40.0.0/16' },
      { direction: 'egress', protocol: 'tcp', fromPort: 8000, toPort: 8000, peer: `<${tasks}.GroupId>` },
    ]);
    const ingress = [
      ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap((group) => (group.Properties.SecurityGroupIngress ?? []) as Record<string, unknown>[]),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((rule) => rule.Properties as Record<string, unknown>),
    ];
    expect(ingress.filter((rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0')).toEqual([]);
  });

  it('puts the load balancer inside the VPC (internal, no public address), reached by CloudFront through a VPC origin only', () => {
    const loadBalancer = onlyResource(ecs, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(loadBalancer.properties).toMatchObject({ Scheme: 'internal', Type: 'application' });
    expect(onlyResource(ecs, 'AWS::CloudFront::VpcOrigin').properties.VpcOriginEndpointConfig).toMatchObject({
      Arn: { Ref: loadBalancer.id },
      HTTPPort: 80,
      OriginProtocolPolicy: 'http-only',
    });
    const config = onlyResource(ecs, 'AWS::CloudFront::Distribution').properties.DistributionConfig as {
      CacheBehaviors: { PathPattern: string; TargetOriginId: string }[];
      Origins: { Id: string; DomainName: unknown; VpcOriginConfig?: unknown }[];
    };
    const apiOrigin = config.Origins.find((origin) => origin.Id === config.CacheBehaviors.find((behavior) => behavior.PathPattern === '/api/*')?.TargetOriginId);
    expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern)).toEqual(['/photos/*', '/api/*']);
    expect(apiOrigin).toMatchObject({ DomainName: { 'Fn::GetAtt': [loadBalancer.id, 'DNSName'] }, VpcOriginConfig: expect.anything() as unknown });
    // The listener is plain HTTP on port 80, inside the VPC.
    expect(onlyResource(ecs, 'AWS::ElasticLoadBalancingV2::Listener').properties).toMatchObject({ Port: 80, Protocol: 'HTTP' });
  });

  it('gives the tasks a public address for their own calls (no NAT gateway), in two zones', () => {
    expect(onlyResource(ecs, 'AWS::ECS::Service').properties.NetworkConfiguration).toMatchObject({
      AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: [expect.anything(), expect.anything()] as unknown[] },
    });
  });
});

describe('the ECS option: the database', () => {
  it('is Multi-AZ, with no zone of its own; still encrypted, private and admitting the API tasks only', () => {
    const database = onlyResource(ecs, 'AWS::RDS::DBInstance');
    expect(database.properties).toMatchObject({ MultiAZ: true, StorageEncrypted: true, PubliclyAccessible: false });
    expect(database.properties).not.toHaveProperty('AvailabilityZone');
    const group = securityGroupId(ecs, 'Rock of Ages database');
    expect(securityGroupRules(ecs, group).filter((rule) => rule.direction === 'ingress')).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: `<${securityGroupId(ecs, 'Rock of Ages API tasks')}.GroupId>` },
    ]);
  });

  it('with dbReadReplica, has a read replica of the primary, in the same security group, as an output', () => {
    ecs.resourceCountIs('AWS::RDS::DBInstance', 1);
    const instances = Object.entries(ecsCustomized.findResources('AWS::RDS::DBInstance'));
    const primary = instances.find(([, resource]) => resource.Properties.SourceDBInstanceIdentifier === undefined);
    const replica = instances.find(([, resource]) => resource.Properties.SourceDBInstanceIdentifier !== undefined);
    expect(replica?.[1].Properties).toMatchObject({
      DBInstanceIdentifier: 'team-rocks-db-replica',
      DBInstanceClass: 'db.t4g.small',
      PubliclyAccessible: false,
      VPCSecurityGroups: primary?.[1].Properties.VPCSecurityGroups,
    });
    expect(flat(replica?.[1].Properties.SourceDBInstanceIdentifier)).toMatch(new RegExp(`${primary?.[0]}`));
    const outputs = ecsCustomized.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(flat(outputs.DatabaseReadReplicaEndpoint?.Value)).toBe(`<${replica?.[0]}.Endpoint.Address>`);
  });
});

describe('the ECS option: the deploy role and the outputs', () => {
  const role = onlyResource(ecs, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Action: 'sts:AssumeRoleWithWebIdentity' })] }),
  });
  const id = (type: string, properties?: Record<string, unknown>) => onlyResource(ecs, type, properties).id;
  const account = '<AWS::AccountId>';
  const family = String(onlyResource(ecs, 'AWS::ECS::TaskDefinition').properties.Family);

  it('may push the image, register and run the task definition in its cluster, roll the service, and publish the client: nothing else', () => {
    const taskDefinition = onlyResource(ecs, 'AWS::ECS::TaskDefinition').properties;
    const logGroup = Object.keys(ecs.findResources('AWS::Logs::LogGroup')).find((each) => each.startsWith('ApiLogsContainer'));
    expect(grantsOf(ecs, role.id)).toEqual([
      {
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
        resources: [`<${id('AWS::ECR::Repository')}.Arn>`],
      },
      { actions: ['ecr:GetAuthorizationToken', 'ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'], resources: ['*'] },
      {
        actions: ['ecs:TagResource'],
        resources: [`arn:aws:ecs:us-east-2:${account}:task-definition/${family}:*`],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      },
      {
        actions: ['iam:PassRole'],
        resources: [flat(taskDefinition.TaskRoleArn), flat(taskDefinition.ExecutionRoleArn)].sort(),
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
      {
        actions: ['ecs:RunTask'],
        resources: [`arn:aws:ecs:us-east-2:${account}:task-definition/${family}:*`],
        conditions: { ArnEquals: { 'ecs:cluster': `<${id('AWS::ECS::Cluster')}.Arn>` } },
      },
      { actions: ['ecs:DescribeTasks'], resources: [`arn:aws:ecs:us-east-2:${account}:task/<${id('AWS::ECS::Cluster')}>/*`] },
      { actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [`<${id('AWS::ECS::Service')}>`] },
      { actions: ['logs:GetLogEvents'], resources: [`arn:aws:logs:us-east-2:${account}:log-group:<${logGroup}>:log-stream:api/*`] },
      { actions: ['s3:ListBucket'], resources: [`<${id('AWS::S3::Bucket', CLIENT_BUCKET)}.Arn>`] },
      { actions: ['s3:DeleteObject', 's3:PutObject'], resources: [`<${id('AWS::S3::Bucket', CLIENT_BUCKET)}.Arn>/*`] },
      { actions: ['cloudfront:CreateInvalidation'], resources: [`arn:aws:cloudfront::${account}:distribution/<${id('AWS::CloudFront::Distribution')}>`] },
    ]);
  });

  it('trusts the same main branch of the same repository as the EC2 option', () => {
    const trust = (template: typeof ecs) =>
      onlyResource(template, 'AWS::IAM::Role', { MaxSessionDuration: 3600 }).properties.AssumeRolePolicyDocument as { Statement: { Condition: unknown }[] };
    expect(trust(ecs).Statement[0]?.Condition).toEqual(trust(templateOf('defaults')).Statement[0]?.Condition);
  });

  it("give the ECS workflow's variables, and none of the EC2 host's", () => {
    const outputs = ecs.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
    expect(
      Object.fromEntries(['EcsClusterName', 'EcsServiceName', 'EcsTaskFamily'].map((name) => [name, [outputs[name]?.Description.split(':')[0], flat(outputs[name]?.Value)]])),
    ).toEqual({
      EcsClusterName: ['GitHub variable ECS_CLUSTER', `<${id('AWS::ECS::Cluster')}>`],
      EcsServiceName: ['GitHub variable ECS_SERVICE', `<${id('AWS::ECS::Service')}.Name>`],
      EcsTaskFamily: ['GitHub variable ECS_TASK_FAMILY', family],
    });
    for (const name of ['DeployDocumentName', 'DeployLogGroupName', 'ApiParameterPrefix', 'ApiHostInstanceId']) expect(outputs).not.toHaveProperty(name);
    expect(outputs.ApiUrlViaCloudFront?.Description).toContain('API_URL');
  });

  it('alarms when no task passes the load balancer check for three minutes', () => {
    expect(onlyResource(ecs, 'AWS::CloudWatch::Alarm').properties).toMatchObject({
      MetricName: 'HealthyHostCount',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
      AlarmDescription: "Rock of Ages API: no task has passed the load balancer's /health/live check for 3 minutes",
    });
  });
});
