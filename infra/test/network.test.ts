import { describe, expect, it } from 'vitest';
import { onlyResource, templateOf } from './support/templates.js';

const defaults = templateOf('defaults');

describe('the network', () => {
  it('is one VPC of two public subnets, with an internet gateway and no NAT gateway', () => {
    defaults.resourceCountIs('AWS::EC2::VPC', 1);
    defaults.resourceCountIs('AWS::EC2::InternetGateway', 1);
    defaults.resourceCountIs('AWS::EC2::NatGateway', 0);
    const subnets = Object.values(defaults.findResources('AWS::EC2::Subnet'));
    expect(subnets.map((subnet) => subnet.Properties.MapPublicIpOnLaunch)).toEqual([true, true]);
  });

  it('logs all its traffic to a log group kept for a month, and kept when the stack is deleted', () => {
    const flowLog = onlyResource(defaults, 'AWS::EC2::FlowLog').properties;
    expect(flowLog).toMatchObject({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    const logGroupOf = (template: typeof defaults) =>
      template.toJSON().Resources[(flowLog.LogGroupName as { Ref: string }).Ref] as { Properties: unknown; DeletionPolicy: string };
    expect(logGroupOf(defaults)).toMatchObject({ Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
    expect(logGroupOf(templateOf('customized')).DeletionPolicy).toBe('Delete');
  });
});
