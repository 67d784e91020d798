import { describe, expect, it } from 'vitest';
import { flat, onlyResource, templateOf, CLIENT_BUCKET } from './support/templates.js';

const defaults = templateOf('defaults');
const outputs = defaults.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
const id = (type: string, properties?: Record<string, unknown>) => onlyResource(defaults, type, properties).id;
const deployRole = onlyResource(defaults, 'AWS::IAM::Role', { MaxSessionDuration: 3600 }).id;
const logGroup = (name: string) => Object.keys(defaults.findResources('AWS::Logs::LogGroup')).find((group) => group.startsWith(`ApiLogs${name}`));

describe('the stack outputs', () => {
  it.each([
    ['OIDC_ROLE_TO_ASSUME', 'DeployRoleArn', () => `<${deployRole}.Arn>`],
    ['AWS_REGION', 'AwsRegion', () => 'us-east-2'],
    ['ECR_REPOSITORY', 'EcrRepositoryName', () => `<${id('AWS::ECR::Repository')}>`],
    ['DEPLOY_DOCUMENT', 'DeployDocumentName', () => `<${id('AWS::SSM::Document')}>`],
    ['DEPLOY_LOG_GROUP', 'DeployLogGroupName', () => `<${logGroup('Deploys')}>`],
    ['SSM_PARAMETER_PREFIX', 'ApiParameterPrefix', () => '/rock-of-ages/api/'],
    ['API_URL', 'ApiUrlViaCloudFront', () => `https://<${id('AWS::CloudFront::Distribution')}.DomainName>/api`],
    ['VITE_API_URL', 'ApiUrlViaCloudFront', () => `https://<${id('AWS::CloudFront::Distribution')}.DomainName>/api`],
    ['CLIENT_S3_BUCKET', 'ClientBucketName', () => `<${id('AWS::S3::Bucket', CLIENT_BUCKET)}>`],
    ['CLOUDFRONT_DISTRIBUTION_ID', 'ClientDistributionId', () => `<${id('AWS::CloudFront::Distribution')}>`],
    ['CLIENT_URL', 'ClientUrl', () => `https://<${id('AWS::CloudFront::Distribution')}.DomainName>`],
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

  it('give no value for a GitHub secret: the stack path needs none, the database password stays in Secrets Manager', () => {
    for (const [name, output] of Object.entries(outputs)) {
      expect(output.Description, name).not.toMatch(/GitHub secret/);
    }
    expect(flat(outputs.DatabaseSecretArn?.Value)).toBe(`<${id('AWS::SecretsManager::Secret')}>`);
  });

  it("give no address of the host itself: nothing outside the VPC may reach it", () => {
    expect(Object.values(outputs).map((output) => JSON.stringify(output.Value))).not.toContainEqual(
      expect.stringMatching(/PublicDnsName|PublicIp|http:\/\//),
    );
  });

  it("give the database's endpoint and the API's logs and alarm, for the checks a learner makes by hand", () => {
    expect(
      Object.fromEntries(
        ['DatabaseEndpoint', 'ApiLogGroupName', 'ApiHealthAlarmName', 'ApiHostInstanceId'].map((name) => [name, flat(outputs[name]?.Value)]),
      ),
    ).toEqual({
      DatabaseEndpoint: `<${id('AWS::RDS::DBInstance')}.Endpoint.Address>`,
      ApiLogGroupName: `<${logGroup('Container')}>`,
      ApiHealthAlarmName: `<${id('AWS::CloudWatch::Alarm')}>`,
      ApiHostInstanceId: `<${id('AWS::EC2::Instance')}>`,
    });
  });
});
