// Imported first by a test file that re-runs e2e suites against the cluster: every startServer()
// after this starts the real servers and the seven services and hands back the gateway.
process.env['E2E_TARGET'] = 'cluster';
