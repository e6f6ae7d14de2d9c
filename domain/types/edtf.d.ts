// The `edtf` package ships no types; this declares the small part of its API that `occurred-at.ts` uses.
declare module 'edtf' {
  interface EdtfValue {
    readonly type: 'Date' | 'Interval' | 'Year' | 'Season' | 'Set' | 'List' | 'Century' | 'Decade';
    /** Earliest possible moment, epoch milliseconds. */
    readonly min: number;
    /** Latest possible moment, epoch milliseconds. */
    readonly max: number;
  }
  interface ParseOptions {
    readonly level?: 0 | 1 | 2;
    readonly types?: readonly string[];
  }
  export default function edtf(input: string, options?: ParseOptions): EdtfValue;
}
