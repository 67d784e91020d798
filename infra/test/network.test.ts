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
    const logGroup = onlyResource(defaults, 'AWS::Logs::LogGroup');
    expect(onlyResource(defaults, 'AWS::EC2::FlowLog').properties).toMatchObject({
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: logGroup.id },
    });
    expect(logGroup).toMatchObject({ properties: { RetentionInDays: 30 }, deletionPolicy: 'Retain' });
    expect(onlyResource(templateOf('customized'), 'AWS::Logs::LogGroup').deletionPolicy).toBe('Delete');
  });
});
