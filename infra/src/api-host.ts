import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.js';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { ApiParameters } from './api-parameters.js';

export interface ApiHostProps {
  readonly vpc: ec2.IVpc;
  readonly subnet: ec2.ISubnet;
  /** An EC2 instance type such as `t3.micro`; its architecture must match the image's. */
  readonly instanceType: string;
  /** The Amazon Linux 2023 image, pinned: a new one replaces the host, so only a deliberate change brings it. */
  readonly amiId: string;
  /** The addresses allowed to reach the API on port 80: the VPC's own range, where CloudFront's VPC origin connects from. */
  readonly originRange: string;
  readonly imageRepository: ecr.IRepository;
  readonly parameters: ApiParameters;
  /** The container's log group, and the one for each deploy command's output. */
  readonly logs: { readonly container: logs.LogGroup; readonly deploys: logs.LogGroup };
}

/** The host's probe, run every minute by a systemd timer: 1 when /health reports the database up, else 0. */
export const healthReportScriptPath = fileURLToPath(new URL('../../scripts/deploy/report-api-health.sh', import.meta.url));
export const healthMetric = { namespace: 'RockOfAges/Api', metricName: 'Healthy' } as const;

/**
 * The EC2 instance that runs the API container: Amazon Linux 2023 with Docker, reached by the pipeline
 * through SSM Run Command only. Nothing from the internet may connect to it: port 80 admits the VPC's own
 * addresses (CloudFront's VPC origin), and its public address serves its outbound calls only. The
 * container reaches the instance's credentials (IMDSv2 with a hop limit of 2), for the photo bucket.
 */
export class ApiHost extends Construct {
  readonly instance: ec2.Instance;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  /** The probe's metric: its minimum over a minute is 0 as soon as one check failed. */
  readonly healthMetric: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: ApiHostProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Rock of Ages API host: HTTP from CloudFront VPC origin only',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.ipv4(props.originRange),
      ec2.Port.tcp(80),
      "HTTP from CloudFront's VPC origin, whose connections come from addresses in this VPC",
    );
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to SSM, ECR, Secrets Manager, CloudWatch and the package repositories',
    );

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Rock of Ages API host: SSM management, image pulls, its database secret, its logs and health metric',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    props.imageRepository.grantPull(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: [props.parameters.seedParameterArn, ...props.parameters.photoParameterArns],
      }),
    );
    // Docker's awslogs driver writes the container's lines; the SSM agent writes each deploy's output.
    props.logs.container.grantWrite(this.role);
    props.logs.deploys.grantWrite(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:DescribeLogStreams'], resources: [props.logs.deploys.logGroupArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: [this.allLogGroupsArn()] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': healthMetric.namespace } },
      }),
    );

    const instanceType = new ec2.InstanceType(props.instanceType);
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [props.subnet] },
      instanceType,
      machineImage: ec2.MachineImage.genericLinux({ [stack.region]: props.amiId }),
      securityGroup: this.securityGroup,
      role: this.role,
      userData: hostUserData(stack.region),
      // Changed user data builds a fresh host (EC2 would not run it again on the old one).
      userDataCausesReplacement: true,
      httpEndpoint: true,
      httpTokens: ec2.HttpTokens.REQUIRED,
      // Two hops: the API container behind Docker's bridge reaches the instance's credentials, for the
      // photo bucket. The role's other permissions become reachable from the container too; the ECS
      // option gives the API a task role of its own instead.
      httpPutResponseHopLimit: 2,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(20, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }),
        },
      ],
    });

    this.healthMetric = new cloudwatch.Metric({
      ...healthMetric,
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.minutes(1),
    });

    this.acknowledgeFindings();
  }

  private allLogGroupsArn(): string {
    return Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private acknowledgeFindings(): void {
    Validations.of(this.instance).acknowledge(
      {
        id: 'AwsSolutions-EC28',
        reason: 'Detailed monitoring is billed per metric; the five-minute basic metrics and the per-minute health probe suffice for one small host.',
      },
      {
        id: 'AwsSolutions-EC29',
        reason:
          'The host keeps no data (the database is on RDS, the image in ECR, the logs in CloudWatch) and is replaced ' +
          'freely; termination protection would only make `cdk destroy` fail.',
      },
      {
        id: 'CloudFormation-Validate::W9010',
        reason: 'The image is pinned on purpose (apiHostAmiId), so that no deploy replaces the host by surprise.',
      },
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: "AWS's own minimal policy for the SSM agent, kept up to date by AWS; the pipeline reaches the host through it.",
    });
    acknowledgeWildcardResource(
      this.role,
      '*',
      'Neither ecr:GetAuthorizationToken (for `docker login` before pulling) nor cloudwatch:PutMetricData takes a ' +
        `resource; the latter is limited to the namespace ${healthMetric.namespace} by its condition.`,
    );
    acknowledgeWildcardResource(
      this.role,
      this.allLogGroupsArn(),
      'logs:DescribeLogGroups lists names only and takes no narrower resource; the SSM agent checks with it that the ' +
        'deploy log group exists before it writes there.',
    );
  }
}

/** Docker and jq for the deploy script, and the health probe on a timer. */
function hostUserData(region: string): ec2.UserData {
  const probe = readFileSync(healthReportScriptPath).toString('base64');
  const command = `/usr/local/bin/rock-of-ages-report-health --region ${region} --namespace ${healthMetric.namespace} --metric ${healthMetric.metricName}`;
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    'dnf install -y docker jq',
    'systemctl enable --now docker',
    `printf %s '${probe}' | base64 --decode > /usr/local/bin/rock-of-ages-report-health`,
    'chmod 755 /usr/local/bin/rock-of-ages-report-health',
    "cat > /etc/systemd/system/rock-of-ages-report-health.service <<'UNIT'",
    '[Unit]',
    "Description=Report the Rock of Ages API's health to CloudWatch",
    '[Service]',
    'Type=oneshot',
    `ExecStart=${command}`,
    'UNIT',
    "cat > /etc/systemd/system/rock-of-ages-report-health.timer <<'UNIT'",
    '[Unit]',
    "Description=Report the Rock of Ages API's health every minute",
    '[Timer]',
    'OnBootSec=1min',
    'OnUnitActiveSec=1min',
    'AccuracySec=5s',
    '[Install]',
    'WantedBy=timers.target',
    'UNIT',
    'systemctl daemon-reload',
    'systemctl enable --now rock-of-ages-report-health.timer',
  );
  return userData;
}
