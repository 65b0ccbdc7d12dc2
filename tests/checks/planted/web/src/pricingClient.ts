import axios from "axios";
import { randomUUID } from "node:crypto";

const PRICING_URL = process.env.PRICING_SERVICE_URL || "http://pricing:8080";

export async function quote(cartId: string): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const quoteId = randomUUID();
    try {
      const response = await axios.post(`${PRICING_URL}/quote`, { quoteId, cartId }, { timeout: 250 });
      return response.data.total;
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
  throw new Error("unreachable");
}
