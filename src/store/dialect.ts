/** The two databases the store runs on. Only migrations and opening differ between them. */
export type StoreDialect = 'sqlite' | 'postgres';
