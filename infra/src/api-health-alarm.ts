import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ApiHealthAlarmProps {
  /** 1 while the API answers /health with the database up, 0 otherwise, every minute (minimum per period). */
  readonly healthMetric: cloudwatch.IMetric;
  /** Who hears of it: an e-mail subscription to the alarm's topic. Without it the alarm shows in the console only. */
  readonly email?: string;
  /** What the metric's 0 means, for the alarm's description. */
  readonly unhealthyMeans?: string;
}

/** Minutes in a row the API must be unhealthy, or silent, before the alarm goes off. */
export const unhealthyMinutes = 3;

/**
 * An alarm on the API's health, whatever runs it: it goes off after three unhealthy minutes, and also when
 * the reports stop (a host that is down reports nothing), and tells the e-mail address if one is given.
 */
export class ApiHealthAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: ApiHealthAlarmProps) {
    super(scope, id);
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `Rock of Ages API: ${props.unhealthyMeans ?? '/health has not reported the database up'} for ${unhealthyMinutes} minutes`,
      metric: props.healthMetric,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: unhealthyMinutes,
      datapointsToAlarm: unhealthyMinutes,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    if (props.email === undefined) return;

    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Rock of Ages API health', enforceSSL: true });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarm.addOkAction(new actions.SnsAction(this.topic));
  }
}
