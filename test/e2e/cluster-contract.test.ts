// The e2e contract suite and the original page's client examples, unchanged, against the cluster
// gateway (real Kafka, FerretDB and an S3 server; every service its own process).
import '../support/target-cluster';
import './api-contract.test';
import './client-examples.test';
