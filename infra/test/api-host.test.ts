import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  grantsOf,
  onlyResource,
  referencedId,
  securityGroupId,
  securityGroupRules,
  templateOf,
} from './support/templates.js';

const defaults = templateOf('defaults');
const customized = templateOf('customized');

const account = '<AWS::AccountId>';

describe('the API host, with the defaults', () => {
  const host = onlyResource(defaults, 'AWS::EC2::Instance');
  const role = onlyResource(defaults, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
    }),
  });

  it('is a t3.micro running the latest Amazon Linux 2023 for x86-64', () => {
    expect(host.properties.InstanceType).toBe('t3.micro');
    const imageParameter = referencedId(host.properties.ImageId);
    expect(defaults.toJSON().Parameters[imageParameter]).toEqual({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
    });
  });

  it('installs and starts Docker, and fetches the RDS certificates, from its user data', () => {
    const userData = (host.properties.UserData as { 'Fn::Base64': string })['Fn::Base64'];
    expect(userData.split('\n')).toEqual(
      expect.arrayContaining([
        'dnf install -y docker',
        'systemctl enable --now docker',
        'curl -fsSL --retry 5 -o /opt/rock-of-ages/rds-global-bundle.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
      ]),
    );
  });

  it('requires IMDSv2 and encrypts its disk', () => {
    const launchTemplate = onlyResource(defaults, 'AWS::EC2::LaunchTemplate');
    expect(launchTemplate.properties.LaunchTemplateData).toEqual({ MetadataOptions: { HttpTokens: 'required' } });
    expect(host.properties.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 20, VolumeType: 'gp3' } },
    ]);
  });

  it('admits port 80 from anywhere and nothing else; sends only HTTPS out and PostgreSQL to the database', () => {
    const hostGroup = securityGroupId(defaults, 'Rock of Ages API host');
    const databaseGroup = securityGroupId(defaults, 'Rock of Ages database');
    expect(host.properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [hostGroup, 'GroupId'] }]);
    expect(securityGroupRules(defaults, hostGroup)).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 80, toPort: 80, peer: '0.0.0.0/0' },
      { direction: 'egress', protocol: 'tcp', fromPort: 443, toPort: 443, peer: '0.0.0.0/0' },
      { direction: 'egress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: `<${databaseGroup}.GroupId>` },
    ]);
  });

  it("is managed by SSM through AWS's managed instance policy", () => {
    expect(role.properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
    ]);
    const profile = onlyResource(defaults, 'AWS::IAM::InstanceProfile');
    expect(profile.properties.Roles).toEqual([{ Ref: role.id }]);
    expect(host.properties.IamInstanceProfile).toEqual({ Ref: profile.id });
  });

  it("may pull from the one ECR repository, read the one database secret and the API's own parameters", () => {
    const repository = onlyResource(defaults, 'AWS::ECR::Repository').id;
    const secret = onlyResource(defaults, 'AWS::SecretsManager::Secret').id;
    const parameters = `arn:aws:ssm:us-east-2:${account}:parameter/rock-of-ages/api`;
    expect(grantsOf(defaults, role.id)).toEqual([
      {
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [`<${repository}.Arn>`],
      },
      { actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      {
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
        resources: [parameters, `${parameters}/*`],
      },
      {
        actions: ['kms:Decrypt'],
        resources: [`arn:aws:kms:us-east-2:${account}:key/*`],
        conditions: {
          StringEquals: { 'kms:ViaService': 'ssm.us-east-2.<AWS::URLSuffix>' },
          StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': `${parameters}/*` },
        },
      },
      { actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resources: [`<${secret}>`] },
    ]);
  });
});

describe('the API host, customized', () => {
  const host = onlyResource(customized, 'AWS::EC2::Instance');

  it('takes the configured instance type and pinned image', () => {
    expect(host.properties).toMatchObject({ InstanceType: 't4g.small', ImageId: 'ami-0123456789abcdef0' });
  });

  it('reads the parameters under the configured prefix, in the configured region', () => {
    const [role] = (onlyResource(customized, 'AWS::IAM::InstanceProfile').properties.Roles as unknown[]).map(referencedId);
    const parameterGrant = grantsOf(customized, role as string).find((grant) => grant.actions.includes('ssm:GetParameter'));
    expect(parameterGrant?.resources).toEqual([
      `arn:aws:ssm:eu-west-1:${account}:parameter/team/rocks`,
      `arn:aws:ssm:eu-west-1:${account}:parameter/team/rocks/*`,
    ]);
  });
});
