import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { grantsOf, onlyResource, templateOf, CLIENT_BUCKET } from './support/templates.js';

const defaults = templateOf('defaults');
const customized = templateOf('customized');

const deployRoleOf = (template: typeof defaults) =>
  onlyResource(template, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Action: 'sts:AssumeRoleWithWebIdentity' })],
    }),
  });

describe('GitHub OIDC and the deploy role, with the defaults', () => {
  const role = deployRoleOf(defaults);

  it("creates the account's GitHub OIDC provider for STS", () => {
    expect(onlyResource(defaults, 'AWS::IAM::OIDCProvider').properties).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it("can be assumed only through that provider, for STS, by workflows of this repository's main branch", () => {
    const provider = onlyResource(defaults, 'AWS::IAM::OIDCProvider').id;
    expect(role.properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: { Ref: provider } },
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:octo-org/rock-of-ages:ref:refs/heads/main',
            },
          },
        },
      ],
    });
  });

  it('may do exactly what the pipeline does, each on its one resource', () => {
    const id = (type: string, properties?: Record<string, unknown>) => onlyResource(defaults, type, properties).id;
    const account = '<AWS::AccountId>';
    expect(grantsOf(defaults, role.id)).toEqual([
      {
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:CompleteLayerUpload',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
        ],
        resources: [`<${id('AWS::ECR::Repository')}.Arn>`],
      },
      { actions: ['ecr:GetAuthorizationToken', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations'], resources: ['*'] },
      {
        actions: ['ssm:SendCommand'],
        resources: [
          `arn:aws:ec2:us-east-2:${account}:instance/<${id('AWS::EC2::Instance')}>`,
          `arn:aws:ssm:us-east-2:${account}:document/<${id('AWS::SSM::Document')}>`,
        ],
      },
      { actions: ['ssm:PutParameter'], resources: [`arn:aws:ssm:us-east-2:${account}:parameter/rock-of-ages/api/SEED`] },
      { actions: ['s3:ListBucket'], resources: [`<${id('AWS::S3::Bucket', CLIENT_BUCKET)}.Arn>`] },
      { actions: ['s3:DeleteObject', 's3:PutObject'], resources: [`<${id('AWS::S3::Bucket', CLIENT_BUCKET)}.Arn>/*`] },
      {
        actions: ['cloudfront:CreateInvalidation'],
        resources: [`arn:aws:cloudfront::${account}:distribution/<${id('AWS::CloudFront::Distribution')}>`],
      },
    ]);
  });

  it('may run the stack\'s deploy document and no other: not AWS-RunShellScript, not any shell command', () => {
    const sendCommand = grantsOf(defaults, role.id).find((grant) => grant.actions.includes('ssm:SendCommand'));
    expect(sendCommand?.resources.filter((resource) => resource.includes(':document/'))).toEqual([
      `arn:aws:ssm:us-east-2:<AWS::AccountId>:document/<${onlyResource(defaults, 'AWS::SSM::Document').id}>`,
    ]);
    expect(JSON.stringify(defaults.toJSON())).not.toContain('AWS-RunShellScript');
  });

  it('may not read or write the database secret, nor encrypt anything', () => {
    const actions = grantsOf(defaults, role.id).flatMap((grant) => grant.actions);
    expect(actions.filter((action) => /^(secretsmanager|kms):/.test(action))).toEqual([]);
  });

  it('issues sessions of one hour at most', () => {
    expect(role.properties.MaxSessionDuration).toBe(3600);
  });
});

describe('GitHub OIDC and the deploy role, customized', () => {
  const role = deployRoleOf(customized);
  const trust = (role.properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }).Statement[0];
  const repositoryParameter = customized.toJSON().Parameters.GitHubRepository as Record<string, string>;

  it("reuses the account's existing OIDC provider instead of creating one", () => {
    customized.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(trust?.Principal).toEqual({
      Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    });
  });

  it('without githubRepository, asks for the repository at deploy time instead of trusting a guess', () => {
    expect(repositoryParameter).not.toHaveProperty('Default');
    expect(trust?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': {
          'Fn::Join': ['', ['repo:', { Ref: 'GitHubRepository' }, ':ref:refs/heads/main']],
        },
      },
    });
  });

  it('accepts only owner/name for that parameter, never a wildcard', () => {
    const pattern = new RegExp(repositoryParameter.AllowedPattern as string);
    expect(['octo-org/rock-of-ages', 'Octo/rock.of_ages-2'].filter((value) => pattern.test(value))).toHaveLength(2);
    expect(['*', 'octo-org/*', 'octo-org', 'octo-org/rock-of-ages:ref:*', '/rock'].filter((v) => pattern.test(v))).toEqual(
      [],
    );
  });
});
