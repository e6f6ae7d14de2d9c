import { describe, expect, it } from 'vitest';
import { JavaNotFoundError, requireJava } from '../../local/require-java.ts';

describe('requireJava', () => {
  it('refuses a java that cannot be run, keeping why as the cause', async () => {
    const error = await requireJava('/nonexistent/bin/java').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JavaNotFoundError);
    expect(error).toMatchObject({ code: 'java_not_found', cause: { code: 'ENOENT' } });
  });
});
