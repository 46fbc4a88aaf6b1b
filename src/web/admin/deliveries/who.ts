/**
 * Who may watch deliveries (P7.2 least privilege): the security officer and the DPO, the
 * roles that run incidents and transfers, whose notices these are. A string compare, as the
 * role list grows with the modules that bring their roles.
 */
export const mayWatchDeliveries = (role: string): boolean => role === 'dpo' || role === 'security_officer';
