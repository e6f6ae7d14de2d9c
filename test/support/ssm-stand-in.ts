import { startAwsJsonStandIn } from './aws-json-stand-in.ts';

export interface SsmStandIn {
  /** `http://127.0.0.1:<port>`: give it to the SDK as the SSM endpoint (`AWS_ENDPOINT_URL_SSM`). */
  readonly endpoint: string;
  /** The names of the parameters asked for, in order. */
  readonly calls: readonly string[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that speaks the part of the SSM Parameter Store JSON protocol the API uses
 * (`GetParameter`), so the real SDK client, and Powertools over it, can be exercised without AWS. It is a
 * stand-in for AWS, not for any code of ours: unknown parameters get SSM's `ParameterNotFound`.
 */
export async function startSsmStandIn(parameters: Record<string, string>): Promise<SsmStandIn> {
  const values = new Map(Object.entries(parameters));
  const calls: string[] = [];
  const standIn = await startAwsJsonStandIn('AmazonSSM', ({ operation, body }) => {
    const name = typeof body.Name === 'string' ? body.Name : '';
    calls.push(name);
    const value = values.get(name);
    if (operation !== 'GetParameter') {
      return { status: 400, body: { __type: 'ValidationException', message: `not served: ${operation}` } };
    }
    if (value === undefined) return { status: 400, body: { __type: 'ParameterNotFound', message: '' } };
    return {
      status: 200,
      body: { Parameter: { Name: name, Type: 'String', Value: value, Version: 1, DataType: 'text' } },
    };
  });
  return { ...standIn, calls };
}
