import { describe, expect, it } from 'vitest';
import { onlyResource, templateOf } from './support/templates.js';

const defaults = templateOf('defaults');
const customized = templateOf('customized');

const apiLogGroups = (template: typeof defaults) =>
  Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('ApiLogs'));

describe("the API's logs", () => {
  it("keep the container's lines and each deploy's output for a month, and outlive the stack", () => {
    const groups = apiLogGroups(defaults);
    expect(groups.map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['ApiLogsContainer', 'ApiLogsDeploys']);
    for (const [, group] of groups) {
      expect(group).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
      expect(group.Properties).not.toHaveProperty('LogGroupName');
    }
  });

  it('with devDeleteDataOnDestroy, go with the stack', () => {
    expect(apiLogGroups(customized).map(([, group]) => group.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });
});

describe("the alarm on the API's health", () => {
  const alarm = onlyResource(defaults, 'AWS::CloudWatch::Alarm');

  it('goes off after three minutes in which /health did not report the database up', () => {
    expect(alarm.properties).toMatchObject({
      Namespace: 'RockOfAges/Api',
      MetricName: 'Healthy',
      Statistic: 'Minimum',
      Period: 60,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
  });

  it('also goes off when the reports stop: a host that is down reports nothing', () => {
    expect(alarm.properties.TreatMissingData).toBe('breaching');
  });

  it('without alarmEmail tells nobody: no topic', () => {
    defaults.resourceCountIs('AWS::SNS::Topic', 0);
    expect(alarm.properties).not.toHaveProperty('AlarmActions');
  });

  it('with alarmEmail, mails its changes through a topic that takes TLS only', () => {
    const topic = onlyResource(customized, 'AWS::SNS::Topic');
    expect(onlyResource(customized, 'AWS::SNS::Subscription').properties).toEqual({
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: topic.id },
    });
    expect(onlyResource(customized, 'AWS::CloudWatch::Alarm').properties).toMatchObject({
      AlarmActions: [{ Ref: topic.id }],
      OKActions: [{ Ref: topic.id }],
    });
    const policy = onlyResource(customized, 'AWS::SNS::TopicPolicy').properties.PolicyDocument as { Statement: unknown[] };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});
