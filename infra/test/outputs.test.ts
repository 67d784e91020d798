import { describe, expect, it } from 'vitest';
import { flat, onlyResource, templateOf } from './support/templates.js';

const defaults = templateOf('defaults');
const outputs = defaults.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
const id = (type: string) => onlyResource(defaults, type).id;
const deployRole = onlyResource(defaults, 'AWS::IAM::Role', { MaxSessionDuration: 3600 }).id;

describe('the stack outputs', () => {
  it.each([
    ['OIDC_ROLE_TO_ASSUME', 'DeployRoleArn', () => `<${deployRole}.Arn>`],
    ['AWS_REGION', 'AwsRegion', () => 'us-east-2'],
    ['EC2_INSTANCE_ID', 'ApiHostInstanceId', () => `<${id('AWS::EC2::Instance')}>`],
    ['ECR_REPOSITORY', 'EcrRepositoryName', () => `<${id('AWS::ECR::Repository')}>`],
    ['DB_HOST', 'DatabaseEndpoint', () => `<${id('AWS::RDS::DBInstance')}.Endpoint.Address>`],
    ['DB_PORT', 'DatabasePort', () => '5432'],
    ['DB_NAME', 'DatabaseName', () => 'rockofages'],
    ['DB_USER', 'DatabaseUser', () => 'rockadmin'],
    ['DB_PASSWORD', 'DatabaseSecretArn', () => `<${id('AWS::SecretsManager::Secret')}>`],
    ['VITE_API_URL', 'ApiUrlViaCloudFront', () => `https://<${id('AWS::CloudFront::Distribution')}.DomainName>/api`],
  ])("give the pipeline's %s as %s", (pipelineName, output, expected) => {
    expect(outputs[output]?.Description).toContain(pipelineName);
    expect(flat(outputs[output]?.Value)).toBe(expected());
  });

  it("give ECR_REGISTRY as the registry's host: the repository URI up to its first slash", () => {
    expect(outputs.EcrRegistry?.Description).toContain('ECR_REGISTRY');
    expect(outputs.EcrRegistry?.Value).toEqual({
      'Fn::Select': [0, { 'Fn::Split': ['/', outputs.EcrRepositoryUri?.Value] }],
    });
    expect(flat(outputs.EcrRepositoryUri?.Value)).toMatch(/\.dkr\.ecr\..*\/<ImageRepository\w+>$/);
  });

  it("give the client's bucket, distribution id and domain, and the API's parameter prefix and address", () => {
    const distribution = id('AWS::CloudFront::Distribution');
    expect(
      Object.fromEntries(
        ['ClientBucketName', 'ClientDistributionId', 'ClientDistributionDomainName', 'ClientUrl', 'ApiParameterPrefix', 'ApiUrl'].map(
          (name) => [name, flat(outputs[name]?.Value)],
        ),
      ),
    ).toEqual({
      ClientBucketName: `<${id('AWS::S3::Bucket')}>`,
      ClientDistributionId: `<${distribution}>`,
      ClientDistributionDomainName: `<${distribution}.DomainName>`,
      ClientUrl: `https://<${distribution}.DomainName>`,
      ApiParameterPrefix: '/rock-of-ages/api/',
      ApiUrl: `http://<${id('AWS::EC2::Instance')}.PublicDnsName>`,
    });
  });
});
