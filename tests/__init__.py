"""The test suite of pledges."""
