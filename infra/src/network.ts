import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The VPC's address range; nothing outside it can reach an address inside it. */
export const vpcCidr = '10.40.0.0/16';

export interface NetworkProps {
  /** Delete the flow logs with the stack instead of keeping them. */
  readonly deleteDataOnDestroy: boolean;
}

/**
 * A VPC of public subnets in two availability zones, with no NAT gateway (the free tier's shape), and
 * flow logs of all its traffic. The API host and the database sit in these subnets, as in the default
 * VPC the workshop uses; their security groups admit nothing from the internet (the database only with
 * the opt-in), and the host's public address serves its outbound calls only. With one subnet type,
 * turning the database opt-in on or off changes it in place instead of replacing it.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  /** Where the API host runs, and the database's zone: no cross-zone hop, nor its data-transfer charge. */
  readonly primarySubnet: ec2.ISubnet;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(vpcCidr),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });
    this.primarySubnet = this.vpc.publicSubnets[0] as ec2.ISubnet;
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.deleteDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}
