"""CQMS Desktop: the Customer Service and Complaint Handling Control Procedure as a program."""

__version__ = "0.1.0"
APP_NAME = "CQMS Desktop"
ORG_NAME = "CQMS"
