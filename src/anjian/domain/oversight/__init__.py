"""Pure rules of the oversight area (contact points, matters, meetings, disclosure)."""
