import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  AlarmWidget,
  Dashboard,
  GraphWidget,
  type Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { LedgerFunctions } from './ledger-alarms.ts';

export interface LedgerDashboardProps {
  readonly alarms: readonly Alarm[];
  readonly api: IHttpApi;
  readonly functions: LedgerFunctions;
  /** The tamper signals the projector logs. */
  readonly tamperSignals: Metric;
}

/**
 * One CloudWatch dashboard of what the alarms watch: their states at the top, then each alarm's metric
 * against its threshold, then traffic and latency for context, and the ledger's integrity: tamper signals
 * and digest runs.
 */
export class LedgerDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: LedgerDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(24) });

    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      ...props.alarms.map((alarm) => new AlarmWidget({ title: alarm.node.id, alarm, width: 8, height: 6 })),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests',
        left: [props.api.metricCount({ statistic: 'Sum', period })],
        right: [
          props.api.metricClientError({ statistic: 'Sum', period }),
          props.api.metricServerError({ statistic: 'Sum', period }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Latency (p99)',
        left: [
          props.api.metricLatency({ statistic: 'p99', period }),
          props.functions.api.metricDuration({ statistic: 'p99', period }),
          props.functions.streaming.metricDuration({ statistic: 'p99', period, label: 'Streamed exports' }),
          props.functions.projector.metricDuration({ statistic: 'p99', period }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Streamed exports',
        left: [props.functions.streaming.metricInvocations({ statistic: 'Sum', period, label: 'Exports' })],
        right: [
          props.functions.streaming.metricErrors({ statistic: 'Sum', period, label: 'Failed exports' }),
          props.functions.streaming.metricThrottles({ statistic: 'Sum', period, label: 'Throttled exports' }),
        ],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Ledger integrity',
        left: [props.tamperSignals.with({ statistic: 'Sum', period, label: 'Tamper signals' })],
        right: [
          props.functions.digest.metricInvocations({ statistic: 'Sum', period, label: 'Digest runs' }),
          props.functions.digest.metricErrors({ statistic: 'Sum', period, label: 'Failed digest runs' }),
        ],
        width: 24,
      }),
    );
  }
}
