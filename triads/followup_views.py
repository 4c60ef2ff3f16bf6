"""Follow-up of a running triad by the professional: plan, evaluations, fallback requests, closure."""
