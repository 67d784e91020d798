import { Match, Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { inject } from 'vitest';
import type { ConfigurationName } from './configurations.js';

/** The template synthesized once for the run (see synthesize-configurations.ts). */
export function templateOf(configuration: ConfigurationName): Template {
  const synthesis = inject('syntheses')[configuration];
  if ('error' in synthesis) {
    throw new Error(`The ${configuration} configuration did not synthesize:\n${synthesis.error}`);
  }
  return Template.fromJSON(synthesis.template);
}

/** The ECS option's us-east-1 stack (the distribution's web ACL), synthesized once for the run. */
export function edgeTemplateOf(configuration: ConfigurationName): Template {
  const synthesis = inject('syntheses')[configuration];
  if ('error' in synthesis) throw new Error(`The ${configuration} configuration did not synthesize:\n${synthesis.error}`);
  if (synthesis.edge === undefined) throw new Error(`The ${configuration} configuration has no edge stack`);
  return Template.fromJSON(synthesis.edge);
}

export interface FoundResource {
  id: string;
  properties: Record<string, unknown>;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
}

/** The one resource of a type (and, optionally, with these properties); fails if there are none or several. */
export function onlyResource(template: Template, type: string, properties?: Record<string, unknown>): FoundResource {
  const found = Object.entries(
    template.findResources(type, properties === undefined ? undefined : { Properties: properties }),
  );
  if (found.length !== 1) {
    throw new Error(`Expected one ${type} ${JSON.stringify(properties ?? {})}, found ${found.length}`);
  }
  const [id, resource] = found[0] as [string, Record<string, unknown>];
  return {
    id,
    properties: (resource.Properties ?? {}) as Record<string, unknown>,
    deletionPolicy: resource.DeletionPolicy as string | undefined,
    updateReplacePolicy: resource.UpdateReplacePolicy as string | undefined,
  };
}

/** The client's bucket, told apart from the photo bucket (which has a CORS rule for uploads). */
export const CLIENT_BUCKET = { CorsConfiguration: Match.absent() };
export const PHOTO_BUCKET = { CorsConfiguration: Match.anyValue() };

/** The security group whose description starts so. */
export function securityGroupId(template: Template, descriptionStart: string): string {
  return onlyResource(template, 'AWS::EC2::SecurityGroup', {
    GroupDescription: Match.stringLikeRegexp(`^${descriptionStart}`),
  }).id;
}

/** The logical id that a `Ref` or `Fn::GetAtt` points at. */
export function referencedId(value: unknown): string {
  const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = reference.Ref ?? reference['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error(`Not a reference: ${JSON.stringify(value)}`);
  return id;
}

/** A CloudFormation value written as cdk-nag writes it: `<Id.Arn>`, `<AWS::AccountId>` and so on. */
export function flat(value: unknown): string {
  return flattenCfnReference(value);
}

export interface SecurityGroupRule {
  direction: 'ingress' | 'egress';
  protocol: string;
  fromPort: number;
  toPort: number;
  /** A CIDR, or `<LogicalId.GroupId>` for another security group. */
  peer: string;
}

/** Every rule of a security group, whether written inside it or as separate ingress and egress resources. */
export function securityGroupRules(template: Template, groupId: string): SecurityGroupRule[] {
  const group = template.toJSON().Resources[groupId].Properties as Record<string, unknown>;
  const inline = (direction: SecurityGroupRule['direction'], rules: unknown) =>
    ((rules ?? []) as Record<string, unknown>[]).map((rule) => toRule(direction, rule));
  const standalone = (direction: SecurityGroupRule['direction'], type: string) =>
    Object.values(template.findResources(type))
      .map((resource) => resource.Properties as Record<string, unknown>)
      .filter((rule) => flat(rule.GroupId) === `<${groupId}.GroupId>`)
      .map((rule) => toRule(direction, rule));
  return [
    ...inline('ingress', group.SecurityGroupIngress),
    ...standalone('ingress', 'AWS::EC2::SecurityGroupIngress'),
    ...inline('egress', group.SecurityGroupEgress),
    ...standalone('egress', 'AWS::EC2::SecurityGroupEgress'),
  ];
}

function toRule(direction: SecurityGroupRule['direction'], rule: Record<string, unknown>): SecurityGroupRule {
  const peer = rule.CidrIp ?? rule.CidrIpv6 ?? rule.SourceSecurityGroupId ?? rule.DestinationSecurityGroupId;
  return {
    direction,
    protocol: String(rule.IpProtocol),
    fromPort: Number(rule.FromPort),
    toPort: Number(rule.ToPort),
    peer: flat(peer),
  };
}

export interface Grant {
  actions: string[];
  resources: string[];
  conditions?: Record<string, Record<string, string>>;
}

/** The Allow statements of every policy attached to a role, each flattened and with sorted lists. */
export function grantsOf(template: Template, roleId: string): Grant[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((policy) => policy.Properties as { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } })
    .filter((policy) => policy.Roles.some((role) => flat(role) === `<${roleId}>`))
    .flatMap((policy) => policy.PolicyDocument.Statement)
    .map((statement) => {
      if (statement.Effect !== 'Allow') throw new Error(`Unexpected ${statement.Effect} statement`);
      const grant: Grant = { actions: list(statement.Action).sort(), resources: list(statement.Resource).map(flat).sort() };
      if (statement.Condition !== undefined) grant.conditions = flatConditions(statement.Condition);
      return grant;
    });
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function flatConditions(conditions: Record<string, Record<string, unknown>>) {
  return Object.fromEntries(
    Object.entries(conditions).map(([operator, entries]) => [
      operator,
      Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, flat(value)])),
    ]),
  );
}
