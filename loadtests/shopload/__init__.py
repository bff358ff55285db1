"""What the shop's load tests and benchmarks share: settings from the environment, the demo
catalogue and its stock, the SLO check, and a throwaway local stack to run them against."""
