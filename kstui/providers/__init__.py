"""The simulated outside world: the clock, SMS, payment gateways, carriers, merchant, platform."""
