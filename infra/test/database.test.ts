import { describe, expect, it } from 'vitest';
import { onlyResource, securityGroupId, securityGroupRules, templateOf } from './support/templates.js';

const defaults = templateOf('defaults');
const customized = templateOf('customized');

const databaseOf = (template: typeof defaults) => onlyResource(template, 'AWS::RDS::DBInstance');

describe('the database, with the defaults', () => {
  const database = databaseOf(defaults);

  it("is RDS PostgreSQL 15 with the workshop's instance, storage, backup and monitoring settings", () => {
    expect(database.properties).toMatchObject({
      Engine: 'postgres',
      EngineVersion: '15',
      DBInstanceClass: 'db.t4g.micro',
      DBInstanceIdentifier: 'rock-of-ages-db',
      DBName: 'rockofages',
      Port: '5432',
      MultiAZ: false,
      AllocatedStorage: '20',
      MaxAllocatedStorage: 100,
      StorageType: 'gp2',
      BackupRetentionPeriod: 1,
    });
    expect(database.properties).not.toHaveProperty('MonitoringInterval');
    expect(database.properties).not.toHaveProperty('MonitoringRoleArn');
  });

  it("runs in the API host's availability zone", () => {
    const host = onlyResource(defaults, 'AWS::EC2::Instance');
    expect(database.properties.AvailabilityZone).toEqual(host.properties.AvailabilityZone);
    expect(database.properties.AvailabilityZone).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
  });

  it('encrypts its storage and is not reachable from the internet', () => {
    expect(database.properties).toMatchObject({ StorageEncrypted: true, PubliclyAccessible: false });
  });

  it('takes user rockadmin and a generated letters-and-digits password from its own Secrets Manager secret', () => {
    const secret = onlyResource(defaults, 'AWS::SecretsManager::Secret');
    expect(secret.properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: '{"username":"rockadmin"}',
      GenerateStringKey: 'password',
    });
    const fromSecret = (field: string) => ({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret.id }, `:SecretString:${field}::}}`]],
    });
    const asciiPunctuation = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
    const excluded = (secret.properties.GenerateSecretString as { ExcludeCharacters: string }).ExcludeCharacters;
    expect(asciiPunctuation.filter((character) => !excluded.includes(character))).toEqual([]);
    expect(database.properties.MasterUsername).toEqual(fromSecret('username'));
    expect(database.properties.MasterUserPassword).toEqual(fromSecret('password'));
  });

  it('requires TLS through its parameter group', () => {
    const parameters = onlyResource(defaults, 'AWS::RDS::DBParameterGroup');
    expect(parameters.properties).toMatchObject({ Family: 'postgres15', Parameters: { 'rds.force_ssl': '1' } });
    expect(database.properties.DBParameterGroupName).toEqual({ Ref: parameters.id });
  });

  it("admits PostgreSQL from the API host's security group only, and sends nothing out", () => {
    const databaseGroup = securityGroupId(defaults, 'Rock of Ages database');
    const apiHostGroup = securityGroupId(defaults, 'Rock of Ages API host');
    expect(database.properties.VPCSecurityGroups).toEqual([{ 'Fn::GetAtt': [databaseGroup, 'GroupId'] }]);
    expect(securityGroupRules(defaults, databaseGroup)).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: `<${apiHostGroup}.GroupId>` },
      // CDK's placeholder for "no outbound traffic": a rule that matches no packet.
      { direction: 'egress', protocol: 'icmp', fromPort: 252, toPort: 86, peer: '255.255.255.255/32' },
    ]);
  });

  it('opens port 5432 to no address range', () => {
    const cidrRulesOn5432 = [
      ...Object.values(defaults.findResources('AWS::EC2::SecurityGroup')).flatMap(
        (group) => (group.Properties.SecurityGroupIngress ?? []) as Record<string, unknown>[],
      ),
      ...Object.values(defaults.findResources('AWS::EC2::SecurityGroupIngress')).map(
        (rule) => rule.Properties as Record<string, unknown>,
      ),
    ].filter((rule) => Number(rule.FromPort) <= 5432 && Number(rule.ToPort) >= 5432 && 'CidrIp' in rule);
    expect(cidrRulesOn5432).toEqual([]);
  });

  it('keeps its data when the stack is deleted: a final snapshot, and the secret that opens it', () => {
    expect(database).toMatchObject({ deletionPolicy: 'Snapshot', updateReplacePolicy: 'Snapshot' });
    expect(onlyResource(defaults, 'AWS::SecretsManager::Secret').deletionPolicy).toBe('Retain');
  });
});

describe('the database, customized', () => {
  const database = databaseOf(customized);

  it('takes the configured instance class and identifier (which must not collide with a hand-made rock-of-ages-db)', () => {
    expect(database.properties).toMatchObject({ DBInstanceClass: 'db.t4g.small', DBInstanceIdentifier: 'team-rocks-db' });
  });

  it('with dbPublicAccessCidr, is publicly accessible and admits exactly that range besides the API host', () => {
    const databaseGroup = securityGroupId(customized, 'Rock of Ages database');
    const apiHostGroup = securityGroupId(customized, 'Rock of Ages API host');
    expect(database.properties.PubliclyAccessible).toBe(true);
    expect(securityGroupRules(customized, databaseGroup).filter((rule) => rule.direction === 'ingress')).toEqual([
      { direction: 'ingress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: '203.0.113.0/24' },
      { direction: 'ingress', protocol: 'tcp', fromPort: 5432, toPort: 5432, peer: `<${apiHostGroup}.GroupId>` },
    ]);
  });

  it('with devDeleteDataOnDestroy, is deleted with the stack without a snapshot, and so is its secret', () => {
    expect(database).toMatchObject({ deletionPolicy: 'Delete', updateReplacePolicy: 'Delete' });
    expect(onlyResource(customized, 'AWS::SecretsManager::Secret').deletionPolicy).toBe('Delete');
  });
});
