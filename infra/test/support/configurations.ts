/**
 * The configurations the tests synthesize, as CDK context (what `-c key=value` would give).
 * `defaults` sets only what has no default; `customized` changes every other setting at once.
 */
export const configurations = {
  defaults: {
    githubRepository: 'octo-org/rock-of-ages',
  },
  customized: {
    region: 'eu-west-1',
    dbInstanceClass: 'db.t4g.small',
    dbPublicAccessCidr: '203.0.113.0/24',
    apiInstanceType: 't4g.small',
    apiHostAmiId: 'ami-0123456789abcdef0',
    apiParameterPrefix: '/team/rocks/',
    ecrRepositoryName: 'team/rocks-api',
    ecrImagesToKeep: '5',
    githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    devDeleteDataOnDestroy: 'true',
  },
} satisfies Record<string, Record<string, string>>;

export type ConfigurationName = keyof typeof configurations;
