export declare const SERVER_BUNDLE: string;
export declare function bundleServer(entry?: string, outfile?: string): Promise<string>;
