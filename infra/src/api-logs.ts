import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ApiLogsProps {
  /** Delete the logs with the stack instead of keeping them. */
  readonly deleteDataOnDestroy: boolean;
  /** A group for the deploy commands' output too (the EC2 host's Run Command deploys; ECS has no such command). */
  readonly deployCommands?: boolean;
}

/** How long CloudWatch Logs keeps the API's lines and the deploys' output. */
export const apiLogRetention = logs.RetentionDays.ONE_MONTH;

/**
 * Where the API's own log lines go (the container's stdout, through Docker's awslogs driver), and where
 * Systems Manager keeps the output of each deploy command, past the 24,000 characters its API returns.
 */
export class ApiLogs extends Construct {
  readonly container: logs.LogGroup;
  readonly deploys?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiLogsProps) {
    super(scope, id);
    const removalPolicy = props.deleteDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.container = new logs.LogGroup(this, 'Container', { retention: apiLogRetention, removalPolicy });
    if (props.deployCommands ?? true) this.deploys = new logs.LogGroup(this, 'Deploys', { retention: apiLogRetention, removalPolicy });
  }
}
