import { posix } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.js';
import type { ApiParameters } from './api-parameters.js';

export interface ApiHostProps {
  readonly vpc: ec2.IVpc;
  readonly subnet: ec2.ISubnet;
  /** An EC2 instance type such as `t3.micro`; its architecture picks the Amazon Linux image. */
  readonly instanceType: string;
  /** Pins the Amazon Linux 2023 image; without it each deploy takes the newest, which replaces the host. */
  readonly amiId?: string;
  readonly imageRepository: ecr.IRepository;
  readonly parameters: ApiParameters;
}

/** Where user data puts the RDS certificate bundle, for the API's SSLMODE=verify-full. */
export const rdsCertificateBundlePath = '/opt/rock-of-ages/rds-global-bundle.pem';

/**
 * The EC2 instance that runs the API container: Amazon Linux 2023 with Docker, reached by the pipeline
 * through SSM Run Command, port 80 open to the world and nothing else.
 */
export class ApiHost extends Construct {
  readonly instance: ec2.Instance;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ApiHostProps) {
    super(scope, id);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Rock of Ages API host: HTTP from anywhere',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP to the API container');
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to SSM, ECR, Secrets Manager and the package repositories',
    );

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Rock of Ages API host: SSM management, image pulls, its own settings and database secret',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    props.imageRepository.grantPull(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [props.parameters.pathArn, props.parameters.parametersArn],
      }),
    );
    this.role.addToPolicy(props.parameters.keyUseStatement(['kms:Decrypt']));

    const instanceType = new ec2.InstanceType(props.instanceType);
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [props.subnet] },
      instanceType,
      machineImage: machineImageFor(instanceType, Stack.of(this).region, props.amiId),
      securityGroup: this.securityGroup,
      role: this.role,
      userData: dockerHostUserData(),
      requireImdsv2: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(20, { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }),
        },
      ],
    });

    this.acknowledgeFindings(props);
  }

  private acknowledgeFindings({ parameters, amiId }: ApiHostProps): void {
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The API is public: port 80 is open to the world, and no other port is.',
    });
    Validations.of(this.instance).acknowledge(
      {
        id: 'AwsSolutions-EC28',
        reason: 'Detailed monitoring is billed per metric; the five-minute basic metrics suffice for one small host.',
      },
      {
        id: 'AwsSolutions-EC29',
        reason:
          'The host keeps no data (the database is on RDS, the image in ECR) and is replaced freely; termination ' +
          'protection would only make `cdk destroy` fail.',
      },
    );
    if (amiId !== undefined) {
      Validations.of(this.instance).acknowledge({
        id: 'CloudFormation-Validate::W9010',
        reason: 'The image is pinned on purpose (apiHostAmiId), so that deploys do not replace the host.',
      });
    }
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason: "AWS's own minimal policy for the SSM agent, kept up to date by AWS; the pipeline reaches the host through it.",
    });
    acknowledgeWildcardResource(
      this.role,
      '*',
      'ecr:GetAuthorizationToken (for `docker login` before pulling) takes no resource; it grants nothing by itself.',
    );
    acknowledgeWildcardResource(
      this.role,
      parameters.parametersArn,
      `Reads only the API's own settings, the parameters under ${parameters.prefix}.`,
    );
    acknowledgeWildcardResource(
      this.role,
      parameters.keysArn,
      "Decrypts through Parameter Store only, and only the parameters under the API's prefix (conditions " +
        'kms:ViaService and kms:EncryptionContext:PARAMETER_ARN); the default aws/ssm key has no id a template can know.',
    );
  }
}

function machineImageFor(instanceType: ec2.InstanceType, region: string, amiId?: string): ec2.IMachineImage {
  if (amiId !== undefined) return ec2.MachineImage.genericLinux({ [region]: amiId });
  return ec2.MachineImage.latestAmazonLinux2023({
    cpuType:
      instanceType.architecture === ec2.InstanceArchitecture.ARM_64
        ? ec2.AmazonLinuxCpuType.ARM_64
        : ec2.AmazonLinuxCpuType.X86_64,
  });
}

/** Docker for the API container, and the RDS certificates the API verifies the database with. */
function dockerHostUserData(): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    'dnf install -y docker',
    'systemctl enable --now docker',
    'usermod -aG docker ec2-user',
    `mkdir -p ${posix.dirname(rdsCertificateBundlePath)}`,
    `curl -fsSL --retry 5 -o ${rdsCertificateBundlePath} https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem`,
  );
  return userData;
}
