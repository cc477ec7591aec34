"""Pure rules of the partner service: which events a subscription wants, where a webhook may go, when to retry."""
