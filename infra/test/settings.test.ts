import { describe, expect, it } from 'vitest';
import { readSettings } from '../src/settings.js';

const fromContext =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];
// The one setting without a default: every configuration below pins it.
const pinned = { apiHostAmiId: 'ami-0fedcba9876543210' };
const noContext = fromContext(pinned);

describe('readSettings', () => {
  it("defaults to the workshop's choices, with no public database access and data kept", () => {
    expect(readSettings(noContext, {})).toEqual({
      compute: 'ec2',
      region: 'us-east-2',
      githubRepository: undefined,
      githubOidcProviderArn: undefined,
      dbInstanceIdentifier: 'rock-of-ages-db',
      dbInstanceClass: 'db.t4g.micro',
      dbPublicAccessCidr: undefined,
      apiInstanceType: 't3.micro',
      apiHostAmiId: 'ami-0fedcba9876543210',
      apiParameterPrefix: '/rock-of-ages/api/',
      ecrRepositoryName: 'rock-of-ages-api',
      ecrImagesToKeep: 10,
      alarmEmail: undefined,
      devDeleteDataOnDestroy: false,
      dbMultiAz: false,
      dbReadReplica: false,
      ecsMinTasks: 2,
      ecsMaxTasks: 10,
      ecsTaskCpu: 512,
      ecsTaskMemory: 1024,
      wafAuthRequestsPerMinute: 300,
    });
  });

  it('with compute=ecs needs no host image, and makes the database Multi-AZ unless told otherwise', () => {
    expect(readSettings(fromContext({ compute: 'ecs' }), {})).toMatchObject({ compute: 'ecs', apiHostAmiId: undefined, dbMultiAz: true });
    expect(readSettings(fromContext({ compute: 'ecs', dbMultiAz: 'false' }), {}).dbMultiAz).toBe(false);
    expect(readSettings(fromContext({ ...pinned, dbMultiAz: true }), {}).dbMultiAz).toBe(true);
  });

  it('refuses a compute option it does not know, task counts the wrong way round, and a task size Fargate does not offer', () => {
    expect(() => readSettings(fromContext({ ...pinned, compute: 'k8s' }), {})).toThrow(
      '- compute (context compute or env ROCK_COMPUTE): ec2 (one host, the default) or ecs (Fargate behind a load balancer); got "k8s"',
    );
    expect(() => readSettings(fromContext({ compute: 'ecs', ecsMinTasks: '4', ecsMaxTasks: '3', ecsTaskCpu: '256', ecsTaskMemory: '4096' }), {})).toThrow(
      [
        'Invalid infrastructure settings:',
        '- ecsMaxTasks (context ecsMaxTasks or env ROCK_ECS_MAX_TASKS): must be at least ecsMinTasks (4); got "3"',
        '- ecsTaskMemory (context ecsTaskMemory or env ROCK_ECS_TASK_MEMORY): not a Fargate memory size for ecsTaskCpu 256: 512 to 2048 in steps of 512 (or 2048); got "4096"',
      ].join('\n'),
    );
    expect(() => readSettings(fromContext({ compute: 'ecs', ecsTaskCpu: '300' }), {})).toThrow('ecsTaskCpu (context ecsTaskCpu or env ROCK_ECS_TASK_CPU): a Fargate CPU size');
    expect(() => readSettings(fromContext({ compute: 'ecs', wafAuthRequestsPerMinute: '5' }), {})).toThrow('- wafAuthRequestsPerMinute');
    expect(readSettings(fromContext({ compute: 'ecs', ecsTaskCpu: '1024', ecsTaskMemory: '3072' }), {})).toMatchObject({ ecsTaskCpu: 1024, ecsTaskMemory: 3072 });
  });

  it('refuses to go on without a pinned image, and says how to find the current one', () => {
    expect(() => readSettings(fromContext({}), {})).toThrow(
      /^Invalid infrastructure settings:\n- apiHostAmiId \(context apiHostAmiId or env ROCK_API_HOST_AMI_ID\): required: .*aws ssm get-parameter --name \/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-default-x86_64 --query Parameter\.Value --output text/,
    );
  });

  it('reads each setting from its environment variable', () => {
    const settings = readSettings(fromContext({}), {
      AWS_REGION: 'eu-central-1',
      GITHUB_REPOSITORY: 'octo-org/rock-of-ages',
      ROCK_GITHUB_OIDC_PROVIDER_ARN: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      ROCK_DB_INSTANCE_IDENTIFIER: 'rocks-prod',
      ROCK_DB_INSTANCE_CLASS: 'db.t4g.small',
      ROCK_DB_PUBLIC_ACCESS_CIDR: '198.51.100.7/32',
      ROCK_API_INSTANCE_TYPE: 't4g.micro',
      ROCK_API_HOST_AMI_ID: 'ami-0abcdef1234567890',
      ROCK_API_PARAMETER_PREFIX: '/rocks/prod/',
      ROCK_ECR_REPOSITORY_NAME: 'rocks',
      ROCK_ECR_IMAGES_TO_KEEP: '3',
      ROCK_ALARM_EMAIL: 'ops@example.com',
      ROCK_DEV_DELETE_DATA_ON_DESTROY: 'true',
      ROCK_DB_MULTI_AZ: 'true',
      ROCK_DB_READ_REPLICA: 'true',
      ROCK_ECS_MIN_TASKS: '3',
      ROCK_ECS_MAX_TASKS: '4',
      ROCK_ECS_TASK_CPU: '256',
      ROCK_ECS_TASK_MEMORY: '2048',
      ROCK_WAF_AUTH_REQUESTS_PER_MINUTE: '100',
    });
    expect(settings).toEqual({
      compute: 'ec2',
      region: 'eu-central-1',
      githubRepository: 'octo-org/rock-of-ages',
      githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      dbInstanceIdentifier: 'rocks-prod',
      dbInstanceClass: 'db.t4g.small',
      dbPublicAccessCidr: '198.51.100.7/32',
      apiInstanceType: 't4g.micro',
      apiHostAmiId: 'ami-0abcdef1234567890',
      apiParameterPrefix: '/rocks/prod/',
      ecrRepositoryName: 'rocks',
      ecrImagesToKeep: 3,
      alarmEmail: 'ops@example.com',
      devDeleteDataOnDestroy: true,
      dbMultiAz: true,
      dbReadReplica: true,
      ecsMinTasks: 3,
      ecsMaxTasks: 4,
      ecsTaskCpu: 256,
      ecsTaskMemory: 2048,
      wafAuthRequestsPerMinute: 100,
    });
    expect(readSettings(fromContext({}), { ROCK_COMPUTE: 'ecs' }).compute).toBe('ecs');
  });

  it('prefers CDK context to the environment, and skips empty variables', () => {
    const settings = readSettings(fromContext({ ...pinned, region: 'eu-west-1', ecrImagesToKeep: 7 }), {
      AWS_REGION: 'us-west-2',
      ROCK_ECR_IMAGES_TO_KEEP: '3',
      ROCK_API_INSTANCE_TYPE: '',
    });
    expect(settings).toMatchObject({ region: 'eu-west-1', ecrImagesToKeep: 7, apiInstanceType: 't3.micro' });
  });

  it("takes the CDK CLI's region when AWS_REGION is not set", () => {
    expect(readSettings(noContext, { CDK_DEFAULT_REGION: 'ap-southeast-2' }).region).toBe('ap-southeast-2');
  });

  it("takes cdk.json's booleans as well as the strings of -c", () => {
    expect(readSettings(fromContext({ ...pinned, devDeleteDataOnDestroy: true }), {}).devDeleteDataOnDestroy).toBe(true);
    expect(readSettings(fromContext({ ...pinned, devDeleteDataOnDestroy: 'false' }), {}).devDeleteDataOnDestroy).toBe(false);
  });

  it('refuses to open the database to the whole internet', () => {
    expect(() => readSettings(fromContext({ ...pinned, dbPublicAccessCidr: '0.0.0.0/0' }), {})).toThrow(
      'Invalid infrastructure settings:\n' +
        '- dbPublicAccessCidr (context dbPublicAccessCidr or env ROCK_DB_PUBLIC_ACCESS_CIDR): must be your own ' +
        'address range (such as 203.0.113.7/32), never the whole internet; got "0.0.0.0/0"',
    );
  });

  it('lists every invalid setting at once, each with where it is read from', () => {
    const invalid = {
      region: 'Mars',
      githubRepository: 'octo-org/*',
      dbInstanceIdentifier: 'Rock--DB-',
      dbInstanceClass: 't4g.micro',
      dbPublicAccessCidr: '203.0.113.7',
      apiHostAmiId: 'ami-x',
      apiParameterPrefix: 'rock-of-ages/api',
      ecrImagesToKeep: '0',
      alarmEmail: 'ops',
      devDeleteDataOnDestroy: 'maybe',
    };
    expect(() => readSettings(fromContext(invalid), {})).toThrow(
      [
        'Invalid infrastructure settings:',
        '- region (context region or env AWS_REGION or env CDK_DEFAULT_REGION): an AWS region such as us-east-2; got "Mars"',
        '- githubRepository (context githubRepository or env GITHUB_REPOSITORY): a GitHub repository as owner/name; got "octo-org/*"',
        '- dbInstanceIdentifier (context dbInstanceIdentifier or env ROCK_DB_INSTANCE_IDENTIFIER): an RDS instance identifier: lowercase letters, digits and single hyphens, starting with a letter, at most 63; got "Rock--DB-"',
        '- dbInstanceClass (context dbInstanceClass or env ROCK_DB_INSTANCE_CLASS): an RDS instance class such as db.t4g.micro; got "t4g.micro"',
        '- dbPublicAccessCidr (context dbPublicAccessCidr or env ROCK_DB_PUBLIC_ACCESS_CIDR): an IPv4 range such as 203.0.113.7/32; got "203.0.113.7"',
        '- apiHostAmiId (context apiHostAmiId or env ROCK_API_HOST_AMI_ID): an AMI id such as ami-0123456789abcdef0; got "ami-x"',
        '- apiParameterPrefix (context apiParameterPrefix or env ROCK_API_PARAMETER_PREFIX): a parameter path that starts and ends with /, such as /rock-of-ages/api/; got "rock-of-ages/api"',
        '- ecrImagesToKeep (context ecrImagesToKeep or env ROCK_ECR_IMAGES_TO_KEEP): a whole number from 1 to 1000; got "0"',
        '- alarmEmail (context alarmEmail or env ROCK_ALARM_EMAIL): an e-mail address; got "ops"',
        '- devDeleteDataOnDestroy (context devDeleteDataOnDestroy or env ROCK_DEV_DELETE_DATA_ON_DESTROY): true or false; got "maybe"',
      ].join('\n'),
    );
  });
});
