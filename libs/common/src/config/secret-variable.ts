// Values of these variables never reach a log or an error message, even when they are invalid.
const SECRET_NAME = /SECRET|KEY|PASSWORD|TOKEN/i;

export function isSecretVariable(name: string): boolean {
  return SECRET_NAME.test(name);
}
