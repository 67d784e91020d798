import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { healthReportScriptPath } from '../src/api-host.js';
import { grantsOf, onlyResource, referencedId, securityGroupId, securityGroupRules, templateOf, PHOTO_BUCKET } from './support/templates.js';

const defaults = templateOf('defaults');
const customized = templateOf('customized');

const account = '<AWS::AccountId>';
const hostRoleOf = (template: typeof defaults) =>
  onlyResource(template, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
    }),
  });
const userDataOf = (host: ReturnType<typeof onlyResource>) =>
  ((host.properties.UserData as { 'Fn::Base64': string })['Fn::Base64']).split('\n');

describe('the API host, with the defaults', () => {
  const host = onlyResource(defaults, 'AWS::EC2::Instance');
  const role = hostRoleOf(defaults);

  it('is a t3.micro running the pinned image, never one resolved at deploy time', () => {
    expect(host.properties).toMatchObject({ InstanceType: 't3.micro', ImageId: 'ami-0fedcba9876543210' });
    const parameterTypes = Object.values((defaults.toJSON().Parameters ?? {}) as Record<string, { Type: string }>).map(
      (parameter) => parameter.Type,
    );
    expect(parameterTypes).not.toContain('AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>');
    expect(JSON.stringify(defaults.toJSON())).not.toContain('/aws/service/ami-amazon-linux-latest');
  });

  it('requires IMDSv2 with a hop limit of 2, so that the API container behind Docker\'s bridge reaches the role for the photo bucket', () => {
    expect(host.properties.MetadataOptions).toEqual({
      HttpEndpoint: 'enabled',
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
    });
  });

  it('encrypts its disk', () => {
    expect(host.properties.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 20, VolumeType: 'gp3' } },
    ]);
  });

  it('installs Docker and jq, and no certificate bundle (the deploy script fetches the one it mounts)', () => {
    const userData = userDataOf(host);
    expect(userData).toEqual(expect.arrayContaining(['dnf install -y docker jq', 'systemctl enable --now docker']));
    expect(userData.join('\n')).not.toMatch(/global-bundle|truststore|\/opt\/rock-of-ages/);
  });

  it('reports its health every minute with the repository\'s probe script, byte for byte', () => {
    const userData = userDataOf(host);
    const encoded = /^printf %s '([A-Za-z0-9+/=]+)' \| base64 --decode > \/usr\/local\/bin\/rock-of-ages-report-health$/
      .exec(userData.find((line) => line.includes('rock-of-ages-report-health')) ?? '')?.[1];
    expect(Buffer.from(encoded ?? '', 'base64').equals(readFileSync(healthReportScriptPath))).toBe(true);
    expect(userData).toEqual(
      expect.arrayContaining([
        'ExecStart=/usr/local/bin/rock-of-ages-report-health --region us-east-2 --namespace RockOfAges/Api --metric Healthy',
        'OnUnitActiveSec=1min',
        'systemctl enable --now rock-of-ages-report-health.timer',
      ]),
    );
  });

  it('admits HTTP from addresses inside the VPC only (CloudFront\'s VPC origin); sends only HTTPS out and PostgreSQL to the database', () => {
    const hostGroup = securityGroupId(defaults, 'Rock of Ages API host');
    const databaseGroup = securityGroupId(defaults, 'Rock of Ages database');
    expect(host.properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [hostGroup, 'GroupId'] }]);
    expect(securityGroupRules(defaults, hostGroup)).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 80, toPort: 80, peer: '10.40.0.0/16' },
      { direction: 'egress', protocol: 'tcp', fromPort: 443, toPort: 443, peer: '0.0.0.0/0' },
      { direction: 'egress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: `<${databaseGroup}.GroupId>` },
    ]);
    expect(onlyResource(defaults, 'AWS::EC2::VPC').properties.CidrBlock).toBe('10.40.0.0/16');
  });

  it('lets nothing in the stack admit the internet: no ingress rule from 0.0.0.0/0 or ::/0', () => {
    for (const template of [defaults, customized]) {
      const ingress = [
        ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
          (group) => (group.Properties.SecurityGroupIngress ?? []) as Record<string, unknown>[],
        ),
        ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(
          (rule) => rule.Properties as Record<string, unknown>,
        ),
      ];
      expect(ingress.filter((rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0')).toEqual([]);
    }
  });

  it("is managed by SSM through AWS's managed instance policy", () => {
    expect(role.properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
    ]);
    const profile = onlyResource(defaults, 'AWS::IAM::InstanceProfile');
    expect(profile.properties.Roles).toEqual([{ Ref: role.id }]);
    expect(host.properties.IamInstanceProfile).toEqual({ Ref: profile.id });
  });

  it('may pull from the one repository, read the database secret and its three settings, write its two log groups and its health metric, and use the photo bucket', () => {
    const id = (type: string, properties?: Record<string, unknown>) => onlyResource(defaults, type, properties).id;
    const logGroups = Object.keys(defaults.findResources('AWS::Logs::LogGroup'));
    const [container, deploys] = ['Container', 'Deploys'].map((name) => logGroups.find((group) => group.startsWith(`ApiLogs${name}`)));
    expect(grantsOf(defaults, role.id)).toEqual([
      {
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [`<${id('AWS::ECR::Repository')}.Arn>`],
      },
      { actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      {
        actions: ['ssm:GetParameter', 'ssm:GetParameters'],
        resources: ['PHOTOS_PUBLIC_URL', 'S3_BUCKET', 'SEED'].map((name) => `arn:aws:ssm:us-east-2:${account}:parameter/rock-of-ages/api/${name}`),
      },
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`<${container}.Arn>`, `<${deploys}.Arn>`] },
      { actions: ['logs:DescribeLogStreams'], resources: [`<${deploys}.Arn>`] },
      { actions: ['logs:DescribeLogGroups'], resources: [`arn:aws:logs:us-east-2:${account}:log-group:*`] },
      {
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'RockOfAges/Api' } },
      },
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resources: [`<${id('AWS::SecretsManager::Secret')}>`],
      },
      { actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], resources: [`<${id('AWS::S3::Bucket', PHOTO_BUCKET)}.Arn>/*`] },
      { actions: ['s3:ListBucket'], resources: [`<${id('AWS::S3::Bucket', PHOTO_BUCKET)}.Arn>`] },
    ]);
  });

  it('may not write any parameter, nor read the workshop\'s DB_* parameters: the password has one home, Secrets Manager', () => {
    const grants = grantsOf(defaults, role.id);
    expect(grants.flatMap((grant) => grant.actions).filter((action) => /^ssm:(Put|Delete)|^kms:/.test(action))).toEqual([]);
    expect(grants.flatMap((grant) => grant.resources).filter((resource) => resource.includes('parameter/') && !/\/(SEED|S3_BUCKET|PHOTOS_PUBLIC_URL)$/.test(resource))).toEqual([]);
    // The photo settings only, which the stack writes itself.
    expect(Object.values(defaults.findResources('AWS::SSM::Parameter')).map((parameter) => (parameter.Properties as { Name: string }).Name).sort()).toEqual([
      '/rock-of-ages/api/PHOTOS_PUBLIC_URL',
      '/rock-of-ages/api/S3_BUCKET',
    ]);
  });
});

describe('the API host, customized', () => {
  const host = onlyResource(customized, 'AWS::EC2::Instance');

  it('takes the configured instance type and pinned image', () => {
    expect(host.properties).toMatchObject({ InstanceType: 't4g.small', ImageId: 'ami-0123456789abcdef0' });
  });

  it('reads SEED and the photo settings under the configured prefix, and reports its health in the configured region', () => {
    const [role] = (onlyResource(customized, 'AWS::IAM::InstanceProfile').properties.Roles as unknown[]).map(referencedId);
    const parameterGrant = grantsOf(customized, role as string).find((grant) => grant.actions.includes('ssm:GetParameter'));
    expect(parameterGrant?.resources).toEqual(['PHOTOS_PUBLIC_URL', 'S3_BUCKET', 'SEED'].map((name) => `arn:aws:ssm:eu-west-1:${account}:parameter/team/rocks/${name}`));
    expect(userDataOf(host)).toContain(
      'ExecStart=/usr/local/bin/rock-of-ages-report-health --region eu-west-1 --namespace RockOfAges/Api --metric Healthy',
    );
  });
});
