/**
 * Imported first by the local commands. The AWS SDK warns on every start that its releases after January 2027
 * will need Node.js 22; the versions locked here run on Node.js 20, so the warning only hides the banner a
 * newcomer needs to see. The README says which Node.js to prefer. Set the variable to `false` to see it again.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
