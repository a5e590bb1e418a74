"""propdesk: customer-service platform for property management companies."""
