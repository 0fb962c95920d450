"""Delivery: release images on Heroku, smoke-test them, roll back the application, data or both."""
