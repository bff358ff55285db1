const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** "DE" -> "Germany"; an unknown code is shown as it is. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
