// Runs in every test worker before the tests: quiet logs and a configuration for tests.
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "error";
