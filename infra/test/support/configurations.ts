/**
 * The configurations the tests synthesize, as CDK context (what `-c key=value` would give).
 * `defaults` sets only what has no default (the repository and the pinned image); `customized` changes
 * every other setting at once, and leaves the repository to the template's parameter. `ecs` and
 * `ecsCustomized` do the same for the ECS option (which needs no image id).
 */
export const configurations = {
  defaults: {
    githubRepository: 'octo-org/rock-of-ages',
    apiHostAmiId: 'ami-0fedcba9876543210',
  },
  customized: {
    region: 'eu-west-1',
    dbInstanceClass: 'db.t4g.small',
    dbInstanceIdentifier: 'team-rocks-db',
    dbPublicAccessCidr: '203.0.113.0/24',
    apiInstanceType: 't4g.small',
    apiHostAmiId: 'ami-0123456789abcdef0',
    apiParameterPrefix: '/team/rocks/',
    ecrRepositoryName: 'team/rocks-api',
    ecrImagesToKeep: '5',
    githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    alarmEmail: 'oncall@example.com',
    devDeleteDataOnDestroy: 'true',
  },
  ecs: {
    githubRepository: 'octo-org/rock-of-ages',
    compute: 'ecs',
  },
  ecsCustomized: {
    compute: 'ecs',
    region: 'eu-west-1',
    dbInstanceClass: 'db.t4g.small',
    dbInstanceIdentifier: 'team-rocks-db',
    dbReadReplica: 'true',
    ecrRepositoryName: 'team/rocks-api',
    ecsMinTasks: '3',
    ecsMaxTasks: '6',
    ecsTaskCpu: '1024',
    ecsTaskMemory: '3072',
    wafAuthRequestsPerMinute: '120',
    githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    alarmEmail: 'oncall@example.com',
    devDeleteDataOnDestroy: 'true',
  },
} satisfies Record<string, Record<string, string>>;

export type ConfigurationName = keyof typeof configurations;
